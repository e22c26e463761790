package sync

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
)

// MaxBundleRecords is how many records one bundle file holds at most; an
// export with more pending writes several files.
const MaxBundleRecords = 100_000

// BundleSuffix ends every bundle and receipt file's name.
const BundleSuffix = ".gise"

// draft is one bundle being gathered: its records part and attachments.
type draft struct {
	records     bytes.Buffer
	ids         []string
	attachments []bundle.Source
	seen        map[string]bool
	size        int64 // what the file will hold, roughly
	head        *app.AuditHead
}

// Export implements app.USBTransfer: every pending record, in outbox
// order, into as many bundle files as the limits ask, each written
// atomically into dir.
func (u *USB) Export(ctx context.Context, actor app.Actor, dir string, progress func(done, total int)) ([]app.ExportedBundle, error) {
	if err := mayTransfer(actor); err != nil {
		return nil, err
	}
	id, err := u.identity(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := u.Store.OutboxCounts(ctx)
	if err != nil {
		return nil, err
	}
	if counts.PendingTotal == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "Aktarılacak kayıt yok: bütün kayıtlar merkeze ulaştı.")
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	cursor, err := u.Store.SyncState(ctx, app.SyncCursor)
	if err != nil {
		return nil, err
	}
	var out []app.ExportedBundle
	done := 0
	flush := func(d *draft) error {
		b, err := u.writeBundle(ctx, actor, id, dir, cursor, d)
		if err == nil {
			out = append(out, b)
			done += len(d.ids)
			report(progress, done, counts.PendingTotal)
		}
		return err
	}
	err = u.gather(ctx, flush)
	// Marked exported (and audited) only now: the audit event each mark
	// writes is a pending record, which the reading must not meet.
	for i := range out {
		if ferr := u.Store.FinishExport(ctx, actor, out[i].ID, true); ferr != nil && err == nil {
			err = ferr
		}
		out[i].State = app.BundleExported
	}
	return out, err
}

func report(progress func(done, total int), done, total int) {
	if progress != nil {
		progress(done, max(done, total))
	}
}

// gather reads the pending records and hands each full draft to flush.
func (u *USB) gather(ctx context.Context, flush func(*draft) error) error {
	lim := u.limits()
	budget := lim.File - min(1<<20, lim.File/8) // the manifest, the archive's headers, age's tags
	d := newDraft()
	var after int64
	for {
		recs, last, err := u.Store.PendingBatch(ctx, after, 500, 4<<20)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		for i := range recs {
			atts, size, err := u.attachmentsOf(ctx, &recs[i], d.seen)
			if err != nil {
				return err
			}
			line := int64(len(recs[i].Data) + recordOverhead)
			full := len(d.ids) == MaxBundleRecords || int64(d.records.Len())+line > lim.Records ||
				d.size+line+size > budget || len(d.attachments)+len(atts)+1 > lim.Parts
			if full && len(d.ids) > 0 {
				if err := flush(d); err != nil {
					return err
				}
				d = newDraft()
				atts, size, err = u.attachmentsOf(ctx, &recs[i], d.seen)
				if err != nil {
					return err
				}
			}
			d.add(&recs[i], atts, size+line)
		}
		after = last
	}
	if len(d.ids) == 0 {
		return nil
	}
	return flush(d)
}

// recordOverhead is what a record line adds to its data (a guess on the
// safe side: id, type, schema, occurred_at and punctuation).
const recordOverhead = 160

func newDraft() *draft { return &draft{seen: map[string]bool{}} }

// add appends one record line and its attachments.
func (d *draft) add(r *app.Record, atts []bundle.Source, size int64) {
	writeRecord(&d.records, r)
	d.records.WriteByte('\n')
	d.ids = append(d.ids, r.ID)
	d.attachments = append(d.attachments, atts...)
	for _, a := range atts {
		d.seen[a.SHA256] = true
	}
	d.size += size
	if r.Type == app.TypeAuditEvent {
		if h, ok := auditHeadOf(r.Data); ok {
			d.head = &h
		}
	}
}

// attachmentsOf returns the attachments a record names that the central
// does not hold yet and the draft has not taken, each read once to learn
// its size and check its hash; an unreadable one is left out (the central
// then rejects the record for it, as online).
func (u *USB) attachmentsOf(ctx context.Context, r *app.Record, seen map[string]bool) ([]bundle.Source, int64, error) {
	hashes := r.AttachmentHashes()
	if len(hashes) == 0 {
		return nil, 0, nil
	}
	todo, err := u.Store.AttachmentsToUpload(ctx, hashes)
	if err != nil {
		return nil, 0, err
	}
	var out []bundle.Source
	var size int64
	for _, sha := range todo {
		if seen[sha] {
			continue
		}
		data, err := u.Store.ReadAttachment(sha)
		if err != nil {
			u.log().Warn("attachment file unreadable; left out of the bundle", "sha256", sha, "err", err)
			continue
		}
		src := bundle.BytesSource(bundle.AttachmentPrefix+sha, nil)
		src.Size, src.SHA256 = int64(len(data)), sha
		src.Bytes = func() ([]byte, error) { return u.Store.ReadAttachment(sha) }
		out, size = append(out, src), size+int64(len(data))+1024
		seen[sha] = true
	}
	return out, size, nil
}

// auditHeadOf reads seq and hash of an audit.event's data.
func auditHeadOf(data []byte) (app.AuditHead, bool) {
	var e struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	}
	if err := json.Unmarshal(data, &e); err != nil || e.Seq < 1 {
		return app.AuditHead{}, false
	}
	return app.AuditHead{Seq: e.Seq, Hash: e.Hash}, true
}

// writeBundle records the draft as being written and writes its file; a
// failure forgets it again. Export marks it exported afterwards.
func (u *USB) writeBundle(ctx context.Context, actor app.Actor, id identity, dir, cursor string, d *draft) (app.ExportedBundle, error) {
	now := u.now()
	bid := uuid.Must(uuid.NewV7()).String()
	b := app.ExportedBundle{ID: bid, CreatedAt: now, Records: d.ids,
		File: fmt.Sprintf("aktarim-%s-%s-%s%s", id.saved.DeviceID, now.Format("20060102-150405"), bid[len(bid)-8:], BundleSuffix)}
	for _, a := range d.attachments {
		b.Attachments = append(b.Attachments, a.SHA256)
	}
	b, err := u.Store.BeginExport(ctx, actor, b)
	if err != nil {
		return b, err
	}
	m := bundle.Manifest{Kind: bundle.KindBundle, ID: bid, DeviceID: id.saved.DeviceID, CreatedAt: now.Format(time.RFC3339),
		FirstSeq: b.FirstSeq, LastSeq: b.LastSeq, Records: len(d.ids), AuditHead: d.head, UpdatesCursor: cursor}
	sources := append([]bundle.Source{bundle.BytesSource(bundle.PartRecords, d.records.Bytes())}, d.attachments...)
	werr := WriteAtomic(dir, b.File, func(w *bufio.Writer) error {
		return bundle.Write(w, m, sources, id.device.Sign, id.to)
	})
	if werr != nil {
		if ferr := u.Store.FinishExport(ctx, actor, bid, false); ferr != nil {
			u.log().Warn("forget a bundle not written", "bundle", bid, "err", ferr)
		}
		return b, werr
	}
	u.log().Info("bundle exported", "bundle", bid, "records", len(d.ids), "attachments", len(d.attachments))
	return b, nil
}

// checkDir refuses a folder that is not there or not writable, with a
// sentence, before anything is read.
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return app.Errorf(app.EINVALID, "Aktarım klasörü bulunamadı; belleğin takılı olduğunu denetleyin.")
	}
	return nil
}

// WriteAtomic writes a file into dir so that no one ever sees half of it:
// a hidden temporary name, fsync, rename, fsync of the folder. A medium
// pulled out halfway leaves at most a hidden ".…tmp" file, which the next
// export removes; never a file with the final name. Writing errors come
// back as a sentence about the medium.
func WriteAtomic(dir, name string, write func(*bufio.Writer) error) error {
	removeStale(dir)
	f, err := os.CreateTemp(dir, "."+strings.TrimSuffix(name, BundleSuffix)+"-*.tmp")
	if err != nil {
		return mediumError(err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w); err != nil {
		return mediumError(err)
	}
	if err := w.Flush(); err != nil {
		return mediumError(err)
	}
	if err := f.Sync(); err != nil {
		return mediumError(err)
	}
	if err := f.Close(); err != nil {
		return mediumError(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return mediumError(err)
	}
	ok = true
	return mediumError(syncDir(dir))
}

// removeStale removes what an interrupted write left in dir.
func removeStale(dir string) {
	stale, _ := filepath.Glob(filepath.Join(dir, ".*-*.tmp"))
	for _, p := range stale {
		if strings.HasPrefix(filepath.Base(p), ".aktarim-") || strings.HasPrefix(filepath.Base(p), ".yanit-") {
			os.Remove(p)
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// mediumError turns a failed write to the medium into a sentence; an
// *app.Error (a record's bad data) passes as it is.
func mediumError(err error) error {
	var ae *app.Error
	if err == nil || errors.As(err, &ae) {
		return err
	}
	return &app.Error{Code: app.EINVALID, Message: "Dosya belleğe yazılamadı; bellek çıkarılmış ya da dolu olabilir. Hiçbir kayıt gönderilmiş sayılmadı; belleği takıp yeniden deneyin.", Err: err}
}
