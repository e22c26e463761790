package central

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	gosync "sync"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
)

// MaxReceiptUpdates is how many updates a receipt carries at most; the
// rest come with the next receipt (or online), after its cursor.
const MaxReceiptUpdates = 5000

// bundleLimits bound what an import reads (tests lower them).
var bundleLimits = bundle.DefaultLimits

// spoolDir is where an import keeps a bundle's attachments until every
// check passed ("": the system's temporary folder; tests set their own).
var spoolDir = ""

// importMu serialises imports, so that one bundle is not taken twice at
// once; imports are rare, a process-wide lock is enough.
var importMu gosync.Mutex

// Imported is what an import did: the answer for every record, and the
// receipt to carry back.
type Imported struct {
	BundleID    string
	DeviceID    string
	Results     []Result
	Updates     int
	Receipt     []byte // the receipt file, signed by the central, encrypted to the device
	ReceiptName string // a file name for it
}

// ImportBundle reads one bundle file, checks it through and through, and
// only then stores what it holds exactly as online requests would: its
// attachments as PUT /v1/attachments does, its records in batches of
// MaxBatchRecords through the same decoding, validation, idempotency,
// fingerprints and audit-chain checks as POST /v1/batches. Refused, with a
// *bundle.Refusal and nothing stored: an unknown or revoked device, a bad
// signature, a changed or truncated file, an entry outside the bundle or
// over its size, an over-large file, a replay, an audit chain that does
// not continue itself, records that are not what the manifest says. A
// refusal after the signature verified still names the bundle and its
// device in the Imported it returns.
func (s *Server) ImportBundle(ctx context.Context, r io.Reader) (Imported, error) {
	keys, err := s.bundleKeys(ctx)
	if err != nil {
		return Imported{}, err
	}
	var to *age.X25519Recipient
	keyOf := func(m bundle.Manifest) (ed25519.PublicKey, error) {
		if m.Kind != bundle.KindBundle {
			return nil, bundle.Refuse(bundle.CodeWrongKind, "a receipt where a bundle is expected")
		}
		sign, recipient, err := s.deviceKeys(ctx, m.DeviceID)
		to = recipient
		return sign, err
	}
	br, err := bundle.Open(r, bundleLimits, keys.Age, keyOf)
	if err != nil {
		return Imported{}, err
	}
	importMu.Lock()
	defer importMu.Unlock()
	m := br.Manifest()
	named := Imported{BundleID: m.ID, DeviceID: m.DeviceID} // the signature verified: safe to name
	if err := s.notImported(ctx, m.ID); err != nil {
		return named, err
	}
	in, err := s.readBundle(br)
	if err != nil {
		return named, err
	}
	defer os.RemoveAll(in.spool)
	if err := in.check(m); err != nil {
		return named, err
	}
	return s.ingest(ctx, m, in, keys, to)
}

// notImported refuses a bundle id imported before.
func (s *Server) notImported(ctx context.Context, id string) error {
	b, ok, err := s.st.ImportedBundle(ctx, id)
	if ok {
		return bundle.Refuse(bundle.CodeReplayed, "bundle "+id+" was imported at "+b.at.Format(time.RFC3339))
	}
	return err
}

// bundleIn is a bundle read whole and verified: its records as batches
// decoded the way POST /v1/batches decodes them, and its attachments
// spooled to a private folder until everything checked out.
type bundleIn struct {
	batches     []inBatch
	oversize    []Result // records too large for any batch, answered rejected
	lines       int
	attachments []string // hashes, in the folder spool
	spool       string
}

// readBundle reads every part; a part that fails its check refuses the
// whole bundle before anything is stored.
func (s *Server) readBundle(br *bundle.Reader) (*bundleIn, error) {
	spool, err := os.MkdirTemp(spoolDir, "gise-bundle-")
	if err != nil {
		return nil, err
	}
	in := &bundleIn{spool: spool}
	for {
		p, data, err := br.Next()
		if errors.Is(err, io.EOF) {
			return in, nil
		}
		if err == nil {
			err = in.take(p, data)
		}
		if err != nil {
			os.RemoveAll(spool)
			return nil, err
		}
	}
}

// take keeps one verified part.
func (in *bundleIn) take(p bundle.Part, data []byte) error {
	if p.Name == bundle.PartRecords {
		return in.decodeRecords(data)
	}
	sha := p.SHA256
	if err := os.WriteFile(filepath.Join(in.spool, sha), data, 0o600); err != nil {
		return err
	}
	in.attachments = append(in.attachments, sha)
	return nil
}

// decodeRecords cuts the records part into batches of at most
// MaxBatchRecords records and MaxBatchBytes bytes and decodes each with
// decodeBatch, as if it had come as the body of POST /v1/batches. A record
// alone over MaxBatchBytes is answered rejected, too_large, as a terminal
// keeps a record a central refuses alone.
func (in *bundleIn) decodeRecords(data []byte) error {
	var body bytes.Buffer
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		body.WriteString(`]}`)
		b, err := decodeBatch(body.Bytes())
		if err != nil {
			return bundle.Refuse(bundle.CodeRecords, "a record line is not a batch record")
		}
		if detail := b.malformed(); detail != "" {
			return bundle.Refuse(bundle.CodeRecords, detail)
		}
		in.batches = append(in.batches, b)
		body = bytes.Buffer{} // the decoded records point into the old one
		n = 0
		return nil
	}
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		in.lines++
		if len(line)+256 > MaxBatchBytes {
			in.oversize = append(in.oversize, oversize(line))
			continue
		}
		if n == MaxBatchRecords || body.Len()+len(line)+256 > MaxBatchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		if n == 0 {
			body.WriteString(`{"batch_id":"bundle","records":[`)
		} else {
			body.WriteByte(',')
		}
		body.Write(line)
		n++
	}
	return flush()
}

// oversize answers a record too large for any batch.
func oversize(line []byte) Result {
	var r struct {
		ID string `json:"id"`
	}
	json.Unmarshal(line, &r)
	return Result{ID: r.ID, Status: "rejected", Error: &ResultError{Code: "too_large",
		Detail: fmt.Sprintf("the record is %d bytes, more than a batch may carry", len(line))}}
}

// check holds the records to the manifest: their count, and the audit
// chain they carry, which must continue itself (each event the next
// sequence and linked to the one before) and end at the manifest's head.
func (in *bundleIn) check(m bundle.Manifest) error {
	if in.lines != m.Records {
		return bundle.Refuse(bundle.CodeRecords, fmt.Sprintf("the records part holds %d records, the manifest says %d", in.lines, m.Records))
	}
	var last *auditEvent
	for _, b := range in.batches {
		for i := range b.Records {
			rec := &b.Records[i]
			if rec.Type != app.TypeAuditEvent {
				continue
			}
			e, ok := readAuditEvent(rec.top)
			if !ok {
				continue // rejected invalid_data at ingest, as online
			}
			if last != nil && (e.seq != last.seq+1 || e.prevHash != last.hash) {
				return bundle.Refuse(bundle.CodeAuditChain, fmt.Sprintf("audit event %d does not follow event %d", e.seq, last.seq))
			}
			last = &e
		}
	}
	head := m.AuditHead
	switch {
	case last == nil && head == nil:
		return nil
	case last == nil || head == nil || head.Seq != last.seq || head.Hash != last.hash:
		return bundle.Refuse(bundle.CodeAuditChain, "the audit events do not end at the manifest's audit head")
	}
	return nil
}

// ingest stores the bundle's attachments and records and writes the
// receipt. A crash part way leaves what was stored, as online; the bundle
// is recorded as imported only with its receipt, so importing it again
// then answers the stored records duplicate.
func (s *Server) ingest(ctx context.Context, m bundle.Manifest, in *bundleIn, keys bundleKeys, to *age.X25519Recipient) (Imported, error) {
	for _, sha := range in.attachments {
		if err := s.importAttachment(ctx, in.spool, sha); err != nil {
			return Imported{}, fmt.Errorf("import attachment: %w", err)
		}
	}
	out := Imported{BundleID: m.ID, DeviceID: m.DeviceID, Results: append([]Result{}, in.oversize...)}
	for _, b := range in.batches {
		for i := range b.Records {
			b.Records[i].digest()
		}
		res, err := s.store(ctx, m.DeviceID, b.Records)
		if err != nil {
			return Imported{}, fmt.Errorf("store bundle records: %w", err)
		}
		out.Results = append(out.Results, res...)
	}
	if err := s.writeReceipt(ctx, m, &out, keys, to); err != nil {
		return Imported{}, err
	}
	s.Logger.Info("bundle imported", "bundle", m.ID, "device", m.DeviceID, "records", len(out.Results),
		"attachments", len(in.attachments))
	return out, nil
}

// importAttachment stores a spooled attachment unless the central holds it.
func (s *Server) importAttachment(ctx context.Context, spool, sha string) error {
	if held, err := s.st.HasAttachment(ctx, sha); held || err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(spool, sha))
	if err != nil {
		return err
	}
	_, err = s.st.PutAttachment(ctx, sha, http.DetectContentType(data), data, s.Now())
	return err
}

// writeReceipt makes the receipt (the results, and the updates after the
// device's cursor), signs it, encrypts it to the device and records the
// bundle as imported with it.
func (s *Server) writeReceipt(ctx context.Context, m bundle.Manifest, out *Imported, keys bundleKeys, to *age.X25519Recipient) error {
	var results bytes.Buffer
	enc := json.NewEncoder(&results)
	enc.SetEscapeHTML(false)
	for _, r := range out.Results {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	since, ok := parseCursor(m.UpdatesCursor)
	if !ok {
		since = 0 // a cursor not from this central: everything, from the start
	}
	page, err := s.updatesPage(ctx, since, MaxReceiptUpdates)
	if err != nil {
		return err
	}
	updates, err := json.Marshal(page)
	if err != nil {
		return err
	}
	now := s.Now()
	rid := uuid.Must(uuid.NewV7()).String()
	rm := bundle.Manifest{Kind: bundle.KindReceipt, ID: rid, DeviceID: m.DeviceID, CreatedAt: now.Format(time.RFC3339),
		Answers: m.ID, Records: len(out.Results), UpdatesCursor: m.UpdatesCursor}
	var file bytes.Buffer
	if err := bundle.Write(&file, rm, []bundle.Source{bundle.BytesSource(bundle.PartResults, results.Bytes()),
		bundle.BytesSource(bundle.PartUpdates, updates)}, keys.Sign, to); err != nil {
		return err
	}
	first, err := s.st.PutImportedBundle(ctx, importedBundle{id: m.ID, device: m.DeviceID, at: now, records: len(out.Results),
		receiptID: rid, receipt: file.Bytes()})
	if err != nil {
		return fmt.Errorf("record bundle: %w", err)
	}
	if !first { // another node imported it meanwhile: this run stored nothing new
		return bundle.Refuse(bundle.CodeReplayed, "bundle "+m.ID+" was imported meanwhile")
	}
	out.Updates, out.Receipt = len(page.Updates), file.Bytes()
	out.ReceiptName = receiptName(m.DeviceID, now.Local(), m.ID)
	return nil
}

// postBundle is POST /v1/bundles: a bundle file as the body, from any
// enrolled device (a courier may bring a field office's stick to any
// terminal with a network: the bundle's own signature says whose it is);
// the receipt file is the answer.
func (s *Server) postBundle(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > bundleLimits.File {
		problem(w, http.StatusRequestEntityTooLarge, bundle.CodeTooLarge, "a bundle is at most 256 MiB")
		return
	}
	// One byte over the limit, so that the bundle reader sees the file go
	// on past it and says too_large (the reader bounds the rest).
	body := http.MaxBytesReader(w, r.Body, bundleLimits.File+1)
	out, err := s.ImportBundle(r.Context(), bufio.NewReaderSize(body, 1<<20))
	var ref *bundle.Refusal
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || bundle.RefusalCode(err) == bundle.CodeTooLarge:
		problem(w, http.StatusRequestEntityTooLarge, bundle.CodeTooLarge, "a bundle is at most 256 MiB")
	case errors.As(err, &ref):
		s.Logger.Warn("bundle refused", "code", ref.Code, "detail", ref.Detail)
		status := http.StatusUnprocessableEntity
		if ref.Code == bundle.CodeReplayed {
			status = http.StatusConflict
		}
		problem(w, status, ref.Code, ref.Detail)
	case err != nil:
		s.Logger.Error("import bundle", "err", err)
		problem(w, http.StatusInternalServerError, "internal", "the bundle was not imported")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="`+out.ReceiptName+`"`)
		w.WriteHeader(http.StatusOK)
		w.Write(out.Receipt)
	}
}

// IssuedReceipt returns the receipt the central made when it imported a
// bundle, for an operator whose receipt file was lost: writing it again
// stores nothing. ok is false for a bundle never imported.
func (s *Server) IssuedReceipt(ctx context.Context, bundleID string) (Imported, bool, error) {
	b, ok, err := s.st.ImportedBundle(ctx, bundleID)
	if !ok || err != nil {
		return Imported{BundleID: bundleID}, false, err
	}
	return Imported{BundleID: bundleID, DeviceID: b.device, Receipt: b.receipt,
		ReceiptName: receiptName(b.device, b.at.Local(), bundleID)}, true, nil
}

// receiptName is the file name of a receipt: yanıt (answer), the device,
// the time, the end of the bundle's id.
func receiptName(device string, at time.Time, bundleID string) string {
	return fmt.Sprintf("yanit-%s-%s-%s.gise", device, at.Format("20060102-150405"), bundleID[len(bundleID)-8:])
}
