// Image references as the wizard edits them: a name and a tag (the tag defaults to latest: docs/product.md#image-selection).

/** Splits "registry:5000/ns/app:1.2" into name and tag; a digest reference keeps its digest in the name. */
export function splitImage(ref: string): { image: string; tag: string } {
  const r = ref.trim();
  if (r.includes('@')) return { image: r, tag: '' };
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > slash) return { image: r.slice(0, colon), tag: r.slice(colon + 1) };
  return { image: r, tag: '' };
}

/** True when the reference already names a tag or digest ("busybox:1.36", "app@sha256:…"). */
export function hasTagOrDigest(ref: string): boolean {
  const r = ref.trim();
  if (r.includes('@')) return true;
  return r.lastIndexOf(':') > r.lastIndexOf('/');
}

/** The container's image field: the name with the tag appended unless the name already carries one. */
export function joinImage(image: string, tag: string): string {
  const i = image.trim();
  const t = tag.trim();
  if (!i) return '';
  if (!t || hasTagOrDigest(i)) return i;
  return `${i}:${t}`;
}
