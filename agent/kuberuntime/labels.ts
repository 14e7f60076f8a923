// Annotations the agent stores on containers (as dockershim did; upstream's kuberuntime/labels.go):
// what the next sync, or a restarted agent, reads back from the runtime.
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANNOTATION_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
/** The node file bind-mounted at terminationMessagePath. */
export const ANNOTATION_TERMINATION_LOG = 'jobyard.io/termination-log';
