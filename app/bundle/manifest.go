package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
)

// Format and Version name this layout in every manifest.
const (
	Format  = "gise-bundle"
	Version = 1
)

// Kinds of file.
const (
	KindBundle  = "bundle"  // a terminal's outbox records, to the central
	KindReceipt = "receipt" // the central's answers and updates, to the terminal
)

// Part names. Attachments are AttachmentPrefix followed by their SHA-256.
const (
	PartRecords      = "records.jsonl"
	PartResults      = "results.jsonl"
	PartUpdates      = "updates.json"
	AttachmentPrefix = "attachments/"
	entryManifest    = "manifest.json"
	entrySignature   = "manifest.sig"
)

// Part is one archive entry the manifest vouches for.
type Part struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes one bundle or receipt. It is written in the
// contract's canonical JSON (keys sorted, no white space); a field that is
// empty is absent.
type Manifest struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	DeviceID  string `json:"device_id"`
	CreatedAt string `json:"created_at"`
	// Answers is, in a receipt, the id of the bundle it answers.
	Answers string `json:"answers,omitempty"`
	// FirstSeq and LastSeq are, in a bundle, the outbox sequence numbers of
	// its first and last record (0 when it holds none).
	FirstSeq int64 `json:"first_seq,omitempty"`
	LastSeq  int64 `json:"last_seq,omitempty"`
	// Records is how many lines the records (or results) part holds.
	Records int `json:"records"`
	// AuditHead is, in a bundle, the terminal's audit chain head when the
	// records were read: the last audit.event it holds, if any.
	AuditHead *app.AuditHead `json:"audit_head,omitempty"`
	// UpdatesCursor is, in a bundle, the terminal's /v1/updates cursor; in a
	// receipt, the cursor its updates follow.
	UpdatesCursor string `json:"updates_cursor,omitempty"`
	Parts         []Part `json:"parts"`
}

var (
	uuidRe     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	deviceRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	shaRe      = regexp.MustCompile(`^[0-9a-f]{64}$`)
	partNameRe = regexp.MustCompile(`^(records\.jsonl|results\.jsonl|updates\.json|attachments/[0-9a-f]{64})$`)
)

// marshal returns the manifest's canonical bytes.
func (m *Manifest) marshal() ([]byte, error) {
	return app.CanonicalJSON(m)
}

// parseManifest reads a manifest strictly: known members only, in
// canonical form (so that no two readers can see different values in the
// signed bytes, e.g. through a repeated member), every field valid.
func parseManifest(b []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || dec.More() {
		return m, refuse(CodeManifest, "the manifest is not a JSON object of known members")
	}
	if canon, err := m.marshal(); err != nil || !bytes.Equal(canon, b) {
		return m, refuse(CodeManifest, "the manifest is not in canonical form")
	}
	if err := m.validate(); err != nil {
		return m, err
	}
	return m, nil
}

// validate checks every field of a manifest read or about to be written.
func (m *Manifest) validate() error {
	bad := func(format string, args ...any) error { return refuse(CodeManifest, fmt.Sprintf(format, args...)) }
	switch {
	case m.Format != Format || m.Version != Version:
		return bad("format %q version %d is not %s %d", m.Format, m.Version, Format, Version)
	case m.Kind != KindBundle && m.Kind != KindReceipt:
		return bad("kind %q is neither bundle nor receipt", m.Kind)
	case !uuidRe.MatchString(m.ID):
		return bad("id must be a lowercase UUID v4 or v7")
	case !deviceRe.MatchString(m.DeviceID):
		return bad("device_id is not a device id")
	case m.Records < 0 || m.FirstSeq < 0 || m.LastSeq < m.FirstSeq:
		return bad("records and the sequence range must not be negative")
	case (m.Kind == KindReceipt) != (m.Answers != ""):
		return bad("answers belongs to a receipt, and a receipt needs it")
	case m.Answers != "" && !uuidRe.MatchString(m.Answers):
		return bad("answers must be a bundle id")
	}
	if _, err := time.Parse(time.RFC3339, m.CreatedAt); err != nil {
		return bad("created_at must be RFC 3339")
	}
	if h := m.AuditHead; h != nil && (h.Seq < 1 || !shaRe.MatchString(h.Hash)) {
		return bad("audit_head needs seq ≥ 1 and a hash of 64 hex digits")
	}
	return m.validateParts()
}

// validateParts checks the part list: known names, each once, hashes and
// sizes well formed, the records (or results) part first.
func (m *Manifest) validateParts() error {
	first := PartRecords
	if m.Kind == KindReceipt {
		first = PartResults
	}
	if len(m.Parts) == 0 || m.Parts[0].Name != first {
		return refuse(CodeManifest, "the first part must be "+first)
	}
	seen := make(map[string]bool, len(m.Parts))
	for _, p := range m.Parts {
		if err := checkName(p.Name); err != nil {
			return err
		}
		if seen[p.Name] || !shaRe.MatchString(p.SHA256) || p.Size < 0 {
			return refuse(CodeManifest, "part "+p.Name+" is listed twice or has a bad size or hash")
		}
		if name, ok := strings.CutPrefix(p.Name, AttachmentPrefix); ok && (m.Kind != KindBundle || name != p.SHA256) {
			return refuse(CodeManifest, "an attachment part is named by its SHA-256, and only in a bundle")
		}
		seen[p.Name] = true
	}
	return nil
}

// checkName refuses an entry name that leaves the bundle (absolute, a ".."
// step, a backslash, anything path.Clean would change) with CodePath, and
// one that is inside but not a part name of this format with CodeEntry.
func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") ||
		path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") {
		return refuse(CodePath, fmt.Sprintf("entry %q leads outside the bundle", safeName(name)))
	}
	if !partNameRe.MatchString(name) {
		return refuse(CodeEntry, fmt.Sprintf("entry %q is not a part of this format", safeName(name)))
	}
	return nil
}

// safeName shortens and quotes an untrusted name for a log line.
func safeName(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
