package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"

	"github.com/kocasinan/gise/app"
)

// Limits bound what a reader accepts. A file, manifest or part past its
// limit is refused before it is read whole.
type Limits struct {
	File     int64 // the encrypted file
	Manifest int64 // manifest.json
	Records  int64 // records.jsonl, results.jsonl and updates.json
	Part     int64 // each attachment
	Parts    int   // how many parts the manifest may list
}

// DefaultLimits are version 1's limits (docs/BUNDLE.md).
var DefaultLimits = Limits{File: 256 << 20, Manifest: 4 << 20, Records: 128 << 20, Part: app.MaxAttachmentSize, Parts: 20_001}

// ageMagic starts every binary age file.
const ageMagic = "age-encryption.org/v1\n"

// maxTrailer is how many NUL bytes may follow the archive's end marker
// (tar programs pad an archive to a record of 10 KiB).
const maxTrailer = 64 << 10

// KeyOf returns the public key that must have signed manifest m (the
// device's for a bundle, the central's for a receipt), or a *Refusal
// (CodeUnknown, CodeRevoked, CodeWrongKind …) when none may.
type KeyOf func(m Manifest) (ed25519.PublicKey, error)

// Reader reads one bundle or receipt, strictly, part after part.
type Reader struct {
	m    Manifest
	src  *limited
	dec  io.Reader
	tr   *tar.Reader
	lim  Limits
	next int
}

// Open decrypts r with id, reads the manifest and its signature, and
// checks the signature under the key keyOf gives. The parts follow with
// Next. Every failure is a *Refusal.
func Open(r io.Reader, lim Limits, id age.Identity, keyOf KeyOf) (*Reader, error) {
	src := &limited{r: r, left: lim.File}
	magic := make([]byte, len(ageMagic))
	if _, err := io.ReadFull(src, magic); err != nil || string(magic) != ageMagic {
		return nil, refuse(CodeNotBundle, "the file does not start as an age file")
	}
	dec, err := age.Decrypt(io.MultiReader(bytes.NewReader(magic), src), id)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, refuse(CodeRecipient, "the file is encrypted to another key")
		}
		return nil, src.refusal(err)
	}
	b := &Reader{src: src, dec: dec, tr: tar.NewReader(dec), lim: lim}
	if err := b.readHead(keyOf); err != nil {
		return nil, err
	}
	return b, nil
}

// Manifest returns the verified manifest.
func (b *Reader) Manifest() Manifest { return b.m }

// readHead reads manifest.json and manifest.sig and verifies them.
func (b *Reader) readHead(keyOf KeyOf) error {
	body, err := b.entry(entryManifest, 0, b.lim.Manifest, false)
	if err != nil {
		return err
	}
	m, err := parseManifest(body)
	if err != nil {
		return err
	}
	if len(m.Parts) > b.lim.Parts {
		return refuse(CodeTooLarge, fmt.Sprintf("the manifest lists %d parts, more than %d", len(m.Parts), b.lim.Parts))
	}
	sig, err := b.entry(entrySignature, ed25519.SignatureSize, ed25519.SignatureSize, true)
	if err != nil {
		return err
	}
	key, err := keyOf(m)
	if err != nil {
		return err
	}
	if len(key) != ed25519.PublicKeySize || !ed25519.Verify(key, signingInput(body), sig) {
		return refuse(CodeSignature, "the manifest's signature does not verify under the signer's key")
	}
	b.m = m
	return nil
}

// Next returns the next part the manifest lists, with its bytes checked
// against the stated size and hash. After the last part it checks that the
// archive and the encrypted file end there, and returns io.EOF.
func (b *Reader) Next() (Part, []byte, error) {
	if b.next == len(b.m.Parts) {
		return Part{}, nil, b.finish()
	}
	p := b.m.Parts[b.next]
	limit := b.lim.Part
	if !strings.HasPrefix(p.Name, AttachmentPrefix) {
		limit = b.lim.Records
	}
	if p.Size > limit {
		return p, nil, refuse(CodePartTooLarge, fmt.Sprintf("part %s states %d bytes, over the limit of %d", p.Name, p.Size, limit))
	}
	data, err := b.entry(p.Name, p.Size, p.Size, true)
	if err != nil {
		return p, nil, err
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != p.SHA256 {
		return p, nil, refuse(CodePartHash, fmt.Sprintf("part %s does not hash to the manifest's SHA-256", p.Name))
	}
	b.next++
	return p, data, nil
}

// entry reads the next archive entry, which must be a regular file named
// name of at most max bytes (exactly want bytes when exact).
func (b *Reader) entry(name string, want, max int64, exact bool) ([]byte, error) {
	h, err := b.tr.Next()
	if errors.Is(err, io.EOF) {
		return nil, refuse(CodeEntry, "the archive ends before "+name)
	}
	if err != nil {
		return nil, b.src.refusal(err)
	}
	if err := checkName(h.Name); err != nil && h.Name != entryManifest && h.Name != entrySignature {
		return nil, err
	}
	if h.Typeflag != tar.TypeReg || h.Name != name {
		return nil, refuse(CodeEntry, fmt.Sprintf("entry %q (type %q) where %s was due", safeName(h.Name), h.Typeflag, name))
	}
	switch {
	case h.Size > max:
		return nil, refuse(CodePartTooLarge, fmt.Sprintf("%s holds %d bytes, more than the %d stated or allowed", name, h.Size, max))
	case exact && h.Size != want:
		return nil, refuse(CodePartHash, fmt.Sprintf("%s holds %d bytes, not the %d stated", name, h.Size, want))
	}
	data := make([]byte, h.Size)
	if _, err := io.ReadFull(b.tr, data); err != nil {
		return nil, b.src.refusal(err)
	}
	return data, nil
}

// finish checks that nothing follows the last part: the archive's end
// marker, at most maxTrailer NUL bytes, and the authenticated end of the
// encrypted file.
func (b *Reader) finish() error {
	h, err := b.tr.Next()
	switch {
	case err == nil:
		if cerr := checkName(h.Name); RefusalCode(cerr) == CodePath {
			return cerr
		}
		return refuse(CodeEntry, fmt.Sprintf("entry %q follows the last part the manifest lists", safeName(h.Name)))
	case !errors.Is(err, io.EOF):
		return b.src.refusal(err)
	}
	rest, err := io.ReadAll(io.LimitReader(b.dec, maxTrailer+1))
	if err != nil {
		return b.src.refusal(err)
	}
	if len(rest) > maxTrailer || bytes.Count(rest, []byte{0}) != len(rest) {
		return refuse(CodeEntry, "bytes follow the archive's end")
	}
	return io.EOF
}

// limited reads at most left bytes of r and remembers going past them.
type limited struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a file that ends exactly at the limit from
		// one that goes on.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.exceeded = true
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

var errTooLarge = errors.New("file over the size limit")

// refusal classifies a read failure: over the limit, or damaged
// (decryption or the archive failed: a changed or truncated file).
func (l *limited) refusal(err error) error {
	var r *Refusal
	switch {
	case errors.As(err, &r):
		return r
	case l.exceeded || errors.Is(err, errTooLarge):
		return refuse(CodeTooLarge, "the file is over the size limit")
	}
	return refuse(CodeDamaged, "decryption or the archive failed: "+err.Error())
}
