// The controllers and the controller manager. Imports api/, machinery/ and client/ only.
export * from './manager.js';
export * as garbagecollector from './garbagecollector/index.js';
export * as namespace from './namespace/index.js';
export * as ttlafterfinished from './ttlafterfinished/index.js';
export * as podgc from './podgc/index.js';
export * as scheduler from './scheduler/index.js';
export * as job from './job/index.js';
export * as disruption from './disruption/index.js';
export * as nodelifecycle from './nodelifecycle/index.js';
export * as ephemeral from './ephemeral/index.js';
