// Package bundle is the file a field office with no network carries to the
// central on a USB stick, and the receipt that comes back: one age file
// (X25519, to the reader's public key) whose plaintext is a tar archive of a
// signed manifest and the parts it lists. The manifest names the bundle,
// the device, the outbox range and the audit head, and the size and SHA-256
// of every part; an Ed25519 signature of the writer covers it. Whoever finds
// the stick can neither read nor change a bundle undetected.
//
// Reading is strict: a size limit for the file, the manifest and each part;
// entries only with the names the manifest lists, in its order; nothing
// after the archive's end. Every refusal is a *Refusal with a stable code
// (docs/BUNDLE.md) and a Turkish sentence.
package bundle
