// Request bodies captured from kubectl v1.32.4 (Kustomize v5.5.0): each command was run
// against a small HTTP server that recorded the POST body (the typed clientset sends
// Content-Type: application/vnd.kubernetes.protobuf), and the expected JSON is what the same
// command prints with --dry-run=client -o json. The decoder must turn the first into the second.
// blob.bin held the bytes ff 00 fe 01; tls.crt/tls.key were a throwaway P-256 pair from
// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=jobyard-test`.
import { describe, expect, it } from 'vitest';
import { BATCH, CORE } from '../../api/schema/index.js';
import { ref } from '../../api/schema/builders.js';
import { decodeKubernetesProtobuf } from './decode.js';

interface KubectlFixture {
  command: string;
  /** The definition of the resource the command posts to. */
  schema: string;
  /** The captured body, base64. */
  body: string;
  /** `<command> --dry-run=client -o json`. */
  json: Record<string, unknown>;
}

const fixtures: KubectlFixture[] = [
  {
    command: "kubectl create configmap settings --from-literal=color=blue --from-literal=size= --from-file=blob=blob.bin",
    schema: CORE + 'ConfigMap',
    body: [
      'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEkEKGAoIc2V0dGluZ3MSABoAIgAqADIAOABCABINCgVjb2xvchIEYmx1ZRIICgRzaXplEgAa',
      'DAoEYmxvYhIE/wD+ARoAIgA=',
    ].join(''),
    json: {
      "kind": "ConfigMap",
      "apiVersion": "v1",
      "metadata": {
        "name": "settings",
        "creationTimestamp": null
      },
      "data": {
        "color": "blue",
        "size": ""
      },
      "binaryData": {
        "blob": "/wD+AQ=="
      }
    },
  },
  {
    command: "kubectl create secret generic db-credentials --from-literal=username=admin --from-literal=password=s3cr3t --type=Opaque",
    schema: CORE + 'Secret',
    body: [
      'azhzAAoMCgJ2MRIGU2VjcmV0Ek8KHgoOZGItY3JlZGVudGlhbHMSABoAIgAqADIAOABCABISCghwYXNzd29yZBIGczNjcjN0EhEK',
      'CHVzZXJuYW1lEgVhZG1pbhoGT3BhcXVlGgAiAA==',
    ].join(''),
    json: {
      "kind": "Secret",
      "apiVersion": "v1",
      "metadata": {
        "name": "db-credentials",
        "creationTimestamp": null
      },
      "data": {
        "password": "czNjcjN0",
        "username": "YWRtaW4="
      },
      "type": "Opaque"
    },
  },
  {
    command: "kubectl create secret docker-registry regcred --docker-server=registry.example.com --docker-username=jo --docker-password=hunter2 --docker-email=jo@example.com",
    schema: CORE + 'Secret',
    body: [
      'azhzAAoMCgJ2MRIGU2VjcmV0Es0BChcKB3JlZ2NyZWQSABoAIgAqADIAOABCABKRAQoRLmRvY2tlcmNvbmZpZ2pzb24SfHsiYXV0',
      'aHMiOnsicmVnaXN0cnkuZXhhbXBsZS5jb20iOnsidXNlcm5hbWUiOiJqbyIsInBhc3N3b3JkIjoiaHVudGVyMiIsImVtYWlsIjoi',
      'am9AZXhhbXBsZS5jb20iLCJhdXRoIjoiYW04NmFIVnVkR1Z5TWc9PSJ9fX0aHmt1YmVybmV0ZXMuaW8vZG9ja2VyY29uZmlnanNv',
      'bhoAIgA=',
    ].join(''),
    json: {
      "kind": "Secret",
      "apiVersion": "v1",
      "metadata": {
        "name": "regcred",
        "creationTimestamp": null
      },
      "data": {
        ".dockerconfigjson": "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6ImpvIiwicGFzc3dvcmQiOiJodW50ZXIyIiwiZW1haWwiOiJqb0BleGFtcGxlLmNvbSIsImF1dGgiOiJhbTg2YUhWdWRHVnlNZz09In19fQ=="
      },
      "type": "kubernetes.io/dockerconfigjson"
    },
  },
  {
    command: "kubectl create secret tls web-tls --cert=tls.crt --key=tls.key",
    schema: CORE + 'Secret',
    body: [
      'azhzAAoMCgJ2MRIGU2VjcmV0EoIHChcKB3dlYi10bHMSABoAIgAqADIAOABCABLTBAoHdGxzLmNydBLHBC0tLS0tQkVHSU4gQ0VS',
      'VElGSUNBVEUtLS0tLQpNSUlCZ2pDQ0FTbWdBd0lCQWdJVWNoR0o4YjlxRS9wTGNMMnRNRDEwU1loZjdwd3dDZ1lJS29aSXpqMEVB',
      'd0l3CkZ6RVZNQk1HQTFVRUF3d01hbTlpZVdGeVpDMTBaWE4wTUI0WERUSTJNVEV5T0RBd016WXlNbG9YRFRNMk1URXkKTlRBd016',
      'WXlNbG93RnpFVk1CTUdBMVVFQXd3TWFtOWllV0Z5WkMxMFpYTjBNRmt3RXdZSEtvWkl6ajBDQVFZSQpLb1pJemowREFRY0RRZ0FF',
      'am1VeFFVYlc1Tmxmck1TRTJpSHkybjkyWlRObXBHVGtHQjA5YTIrazZ5TnlIZENyCnJLSVhqL2hSSFF1eldJRTVCZGtFK2E0SFhv',
      'cWljVWNCUXJOYWZLTlRNRkV3SFFZRFZSME9CQllFRkloR0UzWDQKZU1GRFRNcnhFMXBnSC9oTDFoZWZNQjhHQTFVZEl3UVlNQmFB',
      'RkloR0UzWDRlTUZEVE1yeEUxcGdIL2hMMWhlZgpNQThHQTFVZEV3RUIvd1FGTUFNQkFmOHdDZ1lJS29aSXpqMEVBd0lEUndBd1JB',
      'SWdYUVM0S0owdlFRTHFWL1ErCk9jWUtMQXduVDYzdVBza3JDVXU0V3I1UlJrd0NJQXhTYS9TamwyQWZpeVNBcnUwVmtzVXd4ZjUv',
      'eU8zczBtak0KNlQvK2NZNjYKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQoS/QEKB3Rscy5rZXkS8QEtLS0tLUJFR0lOIFBSSVZB',
      'VEUgS0VZLS0tLS0KTUlHSEFnRUFNQk1HQnlxR1NNNDlBZ0VHQ0NxR1NNNDlBd0VIQkcwd2F3SUJBUVFnUEhabzBxNVNIVklLL05J',
      'SApjendmM3NrT2l0dmpodnBEM3BRUzhlYUpUNjZoUkFOQ0FBU09aVEZCUnRiazJWK3N4SVRhSWZMYWYzWmxNMmFrClpPUVlIVDFy',
      'YjZUckkzSWQwS3Vzb2hlUCtGRWRDN05ZZ1RrRjJRVDVyZ2RlaXFKeFJ3RkNzMXA4Ci0tLS0tRU5EIFBSSVZBVEUgS0VZLS0tLS0K',
      'GhFrdWJlcm5ldGVzLmlvL3RscxoAIgA=',
    ].join(''),
    json: {
      "kind": "Secret",
      "apiVersion": "v1",
      "metadata": {
        "name": "web-tls",
        "creationTimestamp": null
      },
      "data": {
        "tls.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJnakNDQVNtZ0F3SUJBZ0lVY2hHSjhiOXFFL3BMY0wydE1EMTBTWWhmN3B3d0NnWUlLb1pJemowRUF3SXcKRnpFVk1CTUdBMVVFQXd3TWFtOWllV0Z5WkMxMFpYTjBNQjRYRFRJMk1URXlPREF3TXpZeU1sb1hEVE0yTVRFeQpOVEF3TXpZeU1sb3dGekVWTUJNR0ExVUVBd3dNYW05aWVXRnlaQzEwWlhOME1Ga3dFd1lIS29aSXpqMENBUVlJCktvWkl6ajBEQVFjRFFnQUVqbVV4UVViVzVObGZyTVNFMmlIeTJuOTJaVE5tcEdUa0dCMDlhMitrNnlOeUhkQ3IKcktJWGovaFJIUXV6V0lFNUJka0UrYTRIWG9xaWNVY0JRck5hZktOVE1GRXdIUVlEVlIwT0JCWUVGSWhHRTNYNAplTUZEVE1yeEUxcGdIL2hMMWhlZk1COEdBMVVkSXdRWU1CYUFGSWhHRTNYNGVNRkRUTXJ4RTFwZ0gvaEwxaGVmCk1BOEdBMVVkRXdFQi93UUZNQU1CQWY4d0NnWUlLb1pJemowRUF3SURSd0F3UkFJZ1hRUzRLSjB2UVFMcVYvUSsKT2NZS0xBd25UNjN1UHNrckNVdTRXcjVSUmt3Q0lBeFNhL1NqbDJBZml5U0FydTBWa3NVd3hmNS95TzNzMG1qTQo2VC8rY1k2NgotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==",
        "tls.key": "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEJHMHdhd0lCQVFRZ1BIWm8wcTVTSFZJSy9OSUgKY3p3ZjNza09pdHZqaHZwRDNwUVM4ZWFKVDY2aFJBTkNBQVNPWlRGQlJ0YmsyVitzeElUYUlmTGFmM1psTTJhawpaT1FZSFQxcmI2VHJJM0lkMEt1c29oZVArRkVkQzdOWWdUa0YyUVQ1cmdkZWlxSnhSd0ZDczFwOAotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg=="
      },
      "type": "kubernetes.io/tls"
    },
  },
  {
    command: "kubectl create namespace team-a",
    schema: CORE + 'Namespace',
    body: 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh4KFgoGdGVhbS1hEgAaACIAKgAyADgAQgASABoCCgAaACIA',
    json: {
      "kind": "Namespace",
      "apiVersion": "v1",
      "metadata": {
        "name": "team-a",
        "creationTimestamp": null
      },
      "spec": {},
      "status": {}
    },
  },
  {
    command: "kubectl create job hello --image=busybox -- sh -c 'echo hi'",
    schema: BATCH + 'Job',
    body: [
      'azhzAAoPCghiYXRjaC92MRIDSm9iEpEBChUKBWhlbGxvEgAaACIAKgAyADgAQgASbjJsChAKABIAGgAiACoAMgA4AEIAElgSNQoF',
      'aGVsbG8SB2J1c3lib3gaAnNoGgItYxoHZWNobyBoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEA',
      'igEAmgEAwgEAGgggACgAMAA6ABoAIgA=',
    ].join(''),
    json: {
      "kind": "Job",
      "apiVersion": "batch/v1",
      "metadata": {
        "name": "hello",
        "creationTimestamp": null
      },
      "spec": {
        "template": {
          "metadata": {
            "creationTimestamp": null
          },
          "spec": {
            "containers": [
              {
                "name": "hello",
                "image": "busybox",
                "command": [
                  "sh",
                  "-c",
                  "echo hi"
                ],
                "resources": {}
              }
            ],
            "restartPolicy": "Never"
          }
        }
      },
      "status": {}
    },
  },
];

describe('kubectl 1.32 protobuf bodies', () => {
  it.each(fixtures)('$command decodes to the JSON kubectl prints for it', ({ schema, body, json }) => {
    const decoded = decodeKubernetesProtobuf(Buffer.from(body, 'base64'), ref(schema));
    expect(decoded.kind).toBe(json.kind);
    expect(decoded.apiVersion).toBe(json.apiVersion);
    expect(decoded.object).toEqual(json);
    // Even the key order matches Go's struct order for these objects.
    expect(JSON.stringify(decoded.object)).toBe(JSON.stringify(json));
  });
});
