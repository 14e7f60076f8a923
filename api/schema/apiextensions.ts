// apiextensions.k8s.io/v1 definitions: CustomResourceDefinition and its JSONSchemaProps, with
// upstream's protobuf field numbers (k8s.io/apiextensions-apiserver generated.proto).
// Upstream's union types (JSONSchemaPropsOrArray, ...OrBool, ...OrStringArray) are `any` here:
// the CRD validation (server/registry/customresourcedefinitions) checks their forms.
import { META, any, asMessage, bool, bytes, int32, int64, keepZero, list, map, num, object, ref, str, time } from './builders.js';
import type { Definitions } from './types.js';

/** OpenAPI definition name prefix of apiextensions.k8s.io/v1. */
export const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';
const P = APIEXTENSIONS;
const props = ref(P + 'JSONSchemaProps');

export const apiextensionsDefinitions: Definitions = {
  [P + 'CustomResourceDefinition']: object(
    {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: ref(META + 'ObjectMeta', "Standard object's metadata."),
      spec: ref(P + 'CustomResourceDefinitionSpec', 'spec describes how the user wants the resources to appear'),
      status: ref(P + 'CustomResourceDefinitionStatus', 'status indicates the actual state of the CustomResourceDefinition'),
    },
    {
      required: ['spec'],
      description: 'CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.',
      proto: { metadata: 1, spec: 2, status: 3 },
    },
  ),
  [P + 'CustomResourceDefinitionSpec']: object(
    {
      conversion: ref(P + 'CustomResourceConversion', 'conversion defines conversion settings for the CRD.'),
      group: str('group is the API group of the defined custom resource.'),
      names: ref(P + 'CustomResourceDefinitionNames', 'names specify the resource and kind names for the custom resource.'),
      preserveUnknownFields: bool('preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.'),
      scope: str('scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.'),
      versions: list(ref(P + 'CustomResourceDefinitionVersion'), { listType: 'atomic' }, 'versions is the list of all API versions of the defined custom resource.'),
    },
    { required: ['group', 'names', 'scope', 'versions'], description: 'CustomResourceDefinitionSpec describes how a user wants their resource to appear', proto: { group: 1, names: 3, scope: 4, versions: 7, conversion: 9, preserveUnknownFields: 10 } },
  ),
  [P + 'CustomResourceConversion']: object(
    {
      strategy: str('strategy specifies how custom resources are converted between versions: `None` or `Webhook`.'),
      webhook: ref(P + 'WebhookConversion', 'webhook describes how to call the conversion webhook. Required when `strategy` is set to `Webhook`.'),
    },
    { required: ['strategy'], description: 'CustomResourceConversion describes how to convert different versions of a CR.', proto: { strategy: 1, webhook: 2 } },
  ),
  [P + 'WebhookConversion']: object(
    {
      clientConfig: ref(P + 'WebhookClientConfig', 'clientConfig is the instructions for how to call the webhook if strategy is `Webhook`.'),
      conversionReviewVersions: list(str(), { listType: 'atomic' }, 'conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects.'),
    },
    { required: ['conversionReviewVersions'], description: 'WebhookConversion describes how to call a conversion webhook', proto: { clientConfig: 2, conversionReviewVersions: 3 } },
  ),
  [P + 'WebhookClientConfig']: object(
    {
      caBundle: bytes('caBundle is a PEM encoded CA bundle which will be used to validate the webhook\'s server certificate.'),
      service: ref(P + 'ServiceReference', 'service is a reference to the service for this webhook.'),
      url: str('url gives the location of the webhook, in standard URL form (`scheme://host:port/path`).'),
    },
    { description: 'WebhookClientConfig contains the information to make a TLS connection with the webhook.', proto: { service: 1, caBundle: 2, url: 3 } },
  ),
  [P + 'ServiceReference']: object(
    {
      name: str('name is the name of the service.'),
      namespace: str('namespace is the namespace of the service.'),
      path: str('path is an optional URL path at which the webhook will be contacted.'),
      port: int32('port is an optional service port at which the webhook will be contacted.'),
    },
    { required: ['namespace', 'name'], description: 'ServiceReference holds a reference to Service.legacy.k8s.io', proto: { namespace: 1, name: 2, path: 3, port: 4 } },
  ),
  [P + 'CustomResourceDefinitionNames']: object(
    {
      categories: list(str(), { listType: 'atomic' }, 'categories is a list of grouped resources this custom resource belongs to (e.g. \'all\').'),
      kind: str('kind is the serialized kind of the resource.'),
      listKind: str('listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".'),
      plural: str('plural is the plural name of the resource to serve.'),
      shortNames: list(str(), { listType: 'atomic' }, 'shortNames are short names for the resource, exposed in API discovery documents.'),
      singular: str('singular is the singular name of the resource. Defaults to lowercased `kind`.'),
    },
    { required: ['plural', 'kind'], description: 'CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition', proto: { plural: 1, singular: 2, shortNames: 3, kind: 4, listKind: 5, categories: 6 } },
  ),
  [P + 'CustomResourceDefinitionVersion']: object(
    {
      additionalPrinterColumns: list(ref(P + 'CustomResourceColumnDefinition'), { listType: 'atomic' }, 'additionalPrinterColumns specifies additional columns returned in Table output.'),
      deprecated: bool('deprecated indicates this version of the custom resource API is deprecated.'),
      deprecationWarning: str('deprecationWarning overrides the default warning returned to API clients.'),
      name: str('name is the version name, e.g. “v1”, “v2beta1”, etc.'),
      schema: ref(P + 'CustomResourceValidation', 'schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.'),
      selectableFields: list(ref(P + 'SelectableField'), { listType: 'atomic' }, 'selectableFields specifies paths to fields that may be used as field selectors.'),
      served: bool('served is a flag enabling/disabling this version from being served via REST APIs'),
      storage: bool('storage indicates this version should be used when persisting custom resources to storage.'),
      subresources: ref(P + 'CustomResourceSubresources', 'subresources specify what subresources this version of the defined custom resource have.'),
    },
    {
      required: ['name', 'served', 'storage'],
      description: 'CustomResourceDefinitionVersion describes a version for CRD.',
      proto: { name: 1, served: keepZero(2), storage: keepZero(3), schema: 4, subresources: 5, additionalPrinterColumns: 6, deprecated: 7, deprecationWarning: 8, selectableFields: 9 },
    },
  ),
  [P + 'SelectableField']: object({ jsonPath: str('jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value.') }, { required: ['jsonPath'], description: 'SelectableField specifies the JSON path of a field that may be used with field selectors.', proto: { jsonPath: 1 } }),
  [P + 'CustomResourceColumnDefinition']: object(
    {
      description: str('description is a human readable description of this column.'),
      format: str('format is an optional OpenAPI type definition for this column.'),
      jsonPath: str('jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.'),
      name: str('name is a human readable name for the column.'),
      priority: int32('priority is an integer defining the relative importance of this column compared to others.'),
      type: str('type is an OpenAPI type definition for this column.'),
    },
    { required: ['name', 'type', 'jsonPath'], description: 'CustomResourceColumnDefinition specifies a column for server side printing.', proto: { name: 1, type: 2, format: 3, description: 4, priority: 5, jsonPath: 6 } },
  ),
  [P + 'CustomResourceSubresources']: object(
    {
      scale: ref(P + 'CustomResourceSubresourceScale', 'scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.'),
      status: any('status indicates the custom resource should serve a `/status` subresource (an empty object).'),
    },
    { description: 'CustomResourceSubresources defines the status and scale subresources for CustomResources.', proto: { status: 1, scale: 2 } },
  ),
  [P + 'CustomResourceSubresourceScale']: object(
    {
      labelSelectorPath: str('labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`.'),
      specReplicasPath: str('specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`.'),
      statusReplicasPath: str('statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`.'),
    },
    { required: ['specReplicasPath', 'statusReplicasPath'], description: 'CustomResourceSubresourceScale defines how to serve the scale subresource for CustomResources.', proto: { specReplicasPath: 1, statusReplicasPath: 2, labelSelectorPath: 3 } },
  ),
  [P + 'CustomResourceValidation']: object(
    { openAPIV3Schema: props },
    { description: 'CustomResourceValidation is a list of validation methods for CustomResources.', proto: { openAPIV3Schema: 1 } },
  ),
  [P + 'CustomResourceDefinitionStatus']: object(
    {
      acceptedNames: ref(P + 'CustomResourceDefinitionNames', 'acceptedNames are the names that are actually being used to serve discovery.'),
      conditions: list(ref(P + 'CustomResourceDefinitionCondition'), { listType: 'map', listMapKeys: ['type'] }, 'conditions indicate state for particular aspects of a CustomResourceDefinition'),
      storedVersions: list(str(), { listType: 'atomic' }, 'storedVersions lists all versions of CustomResources that were ever persisted.'),
    },
    { description: 'CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition', proto: { conditions: 1, acceptedNames: 2, storedVersions: 3 } },
  ),
  [P + 'CustomResourceDefinitionCondition']: object(
    {
      lastTransitionTime: time('lastTransitionTime last time the condition transitioned from one status to another.'),
      message: str('message is a human-readable message indicating details about last transition.'),
      reason: str("reason is a unique, one-word, CamelCase reason for the condition's last transition."),
      status: str('status is the status of the condition. Can be True, False, Unknown.'),
      type: str('type is the type of the condition. Types include Established, NamesAccepted and Terminating.'),
    },
    { required: ['type', 'status'], description: 'CustomResourceDefinitionCondition contains details for the current condition of this pod.', proto: { type: 1, status: 2, lastTransitionTime: 3, reason: 4, message: 5 } },
  ),
  [P + 'ExternalDocumentation']: object({ description: str(), url: str() }, { description: 'ExternalDocumentation allows referencing an external resource for extended documentation.', proto: { description: 1, url: 2 } }),
  [P + 'ValidationRule']: object(
    {
      fieldPath: str(),
      message: str(),
      messageExpression: str(),
      optionalOldSelf: bool(),
      reason: str(),
      rule: str(),
    },
    { required: ['rule'], description: 'ValidationRule describes a validation rule written in the CEL expression language.', proto: { rule: 1, message: 2, messageExpression: 3, reason: 4, fieldPath: 5, optionalOldSelf: 6 } },
  ),
  [P + 'JSONSchemaProps']: object(
    {
      $ref: str(),
      $schema: str(),
      additionalItems: any('JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value.'),
      additionalProperties: any('JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value.'),
      allOf: list(props, { listType: 'atomic' }),
      anyOf: list(props, { listType: 'atomic' }),
      default: any('default is a default value for undefined object fields.'),
      definitions: map(props),
      dependencies: map(any('JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.')),
      description: str(),
      enum: list(any(), { listType: 'atomic' }),
      example: any(),
      exclusiveMaximum: bool(),
      exclusiveMinimum: bool(),
      externalDocs: ref(P + 'ExternalDocumentation'),
      format: str('format is an OpenAPI v3 format string. Unknown formats are ignored.'),
      id: str(),
      items: any('JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps.'),
      maxItems: int64(),
      maxLength: int64(),
      maxProperties: int64(),
      maximum: num(),
      minItems: int64(),
      minLength: int64(),
      minProperties: int64(),
      minimum: num(),
      multipleOf: num(),
      not: props,
      nullable: bool(),
      oneOf: list(props, { listType: 'atomic' }),
      pattern: str(),
      patternProperties: map(props),
      properties: map(props),
      required: list(str(), { listType: 'atomic' }),
      title: str(),
      type: str(),
      uniqueItems: bool(),
      'x-kubernetes-embedded-resource': bool('x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta.'),
      'x-kubernetes-int-or-string': bool('x-kubernetes-int-or-string specifies that this value is either an integer or a string.'),
      'x-kubernetes-list-map-keys': list(str(), { listType: 'atomic' }),
      'x-kubernetes-list-type': str(),
      'x-kubernetes-map-type': str(),
      'x-kubernetes-preserve-unknown-fields': bool('x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.'),
      'x-kubernetes-validations': list(ref(P + 'ValidationRule'), { listType: 'map', listMapKeys: ['rule'], mergeKey: 'rule', patchStrategy: 'merge' }),
    },
    {
      description: 'JSONSchemaProps is a JSON-Schema following Specification Draft 4 (http://json-schema.org/).',
      proto: {
        id: 1, $schema: 2, $ref: 3, description: 4, type: 5, format: 6, title: 7, default: asMessage(8, 'RawExtension'), maximum: 9, exclusiveMaximum: 10,
        minimum: 11, exclusiveMinimum: 12, maxLength: 13, minLength: 14, pattern: 15, maxItems: 16, minItems: 17, uniqueItems: 18, multipleOf: 19,
        enum: 20, maxProperties: 21, minProperties: 22, required: 23, items: 24, allOf: 25, oneOf: 26, anyOf: 27, not: 28, properties: 29,
        additionalProperties: 30, patternProperties: 31, dependencies: 32, additionalItems: 33, definitions: 34, externalDocs: 35,
        example: asMessage(36, 'RawExtension'), nullable: 37, 'x-kubernetes-preserve-unknown-fields': 38, 'x-kubernetes-embedded-resource': 39,
        'x-kubernetes-int-or-string': 40, 'x-kubernetes-list-map-keys': 41, 'x-kubernetes-list-type': 42, 'x-kubernetes-map-type': 43, 'x-kubernetes-validations': 44,
      },
    },
  ),
};
