package sync

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"os"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
)

// receiptRead is what a verified receipt file holds.
type receiptRead struct {
	m       bundle.Manifest
	results []app.DeliveryResult
	updates app.UpdatesPage
}

// ApplyReceipt implements app.USBTransfer: the file is decrypted with the
// device's key and its signature checked against the central's; a receipt
// for another terminal, for a bundle this one did not export, or one
// applied already is refused with a sentence. The results are matched
// against the bundle's records as an online batch's answers are
// (matchResults) and applied with the updates in one transaction.
func (u *USB) ApplyReceipt(ctx context.Context, actor app.Actor, path string) (app.ReceiptOutcome, error) {
	if err := mayTransfer(actor); err != nil {
		return app.ReceiptOutcome{}, err
	}
	id, err := u.identity(ctx)
	if err != nil {
		return app.ReceiptOutcome{}, err
	}
	rr, err := u.readReceipt(path, id)
	if err != nil {
		return app.ReceiptOutcome{}, err
	}
	b, err := u.Store.ExportedBundle(ctx, rr.m.Answers)
	switch {
	case app.ErrorCode(err) == app.ENOTFOUND:
		return app.ReceiptOutcome{}, bundle.Refuse(bundle.CodeNotExported, "the receipt answers a bundle this terminal did not export")
	case err != nil:
		return app.ReceiptOutcome{}, err
	case b.State == app.BundleAnswered:
		return app.ReceiptOutcome{}, bundle.Refuse(bundle.CodeApplied, "this receipt was applied already")
	}
	sent := make([]app.Record, len(b.Records))
	for i, rid := range b.Records {
		sent[i].ID = rid
	}
	valid, missing := matchResults(sent, rr.results)
	out, err := u.Store.ApplyReceipt(ctx, actor, app.Receipt{ID: rr.m.ID, BundleID: b.ID, Results: valid,
		Unanswered: missing, Since: rr.m.UpdatesCursor, Updates: rr.updates})
	if app.ErrorCode(err) == app.ECONFLICT {
		return out, bundle.Refuse(bundle.CodeApplied, "this receipt was applied already")
	}
	if err == nil {
		u.log().Info("receipt applied", "bundle", b.ID, "delivered", out.Delivered, "conflict", out.Conflict,
			"rejected", out.Rejected, "unanswered", out.Unanswered, "updates", out.UpdatesApplied)
	}
	return out, err
}

// readReceipt opens, verifies and reads a whole receipt file.
func (u *USB) readReceipt(path string, id identity) (receiptRead, error) {
	var rr receiptRead
	f, err := os.Open(path)
	if err != nil {
		return rr, app.Errorf(app.ENOTFOUND, "Yanıt dosyası açılamadı; belleğin takılı olduğunu denetleyin.")
	}
	defer f.Close()
	keyOf := func(m bundle.Manifest) (ed25519.PublicKey, error) {
		if m.Kind != bundle.KindReceipt {
			return nil, bundle.Refuse(bundle.CodeWrongKind, "a bundle where a receipt is expected")
		}
		return ed25519.PublicKey(id.saved.CentralSig), nil
	}
	r, err := bundle.Open(bufio.NewReaderSize(f, 1<<20), u.limits(), id.device.Receipts, keyOf)
	if bundle.RefusalCode(err) == bundle.CodeRecipient {
		return rr, bundle.Refuse(bundle.CodeOtherDevice, "the receipt is encrypted to another terminal")
	}
	if err != nil {
		return rr, err
	}
	rr.m = r.Manifest()
	if rr.m.DeviceID != id.saved.DeviceID {
		return rr, bundle.Refuse(bundle.CodeOtherDevice, "the receipt names another device")
	}
	for {
		p, data, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rr, nil
		}
		if err != nil {
			return rr, err
		}
		if err := rr.take(p.Name, data); err != nil {
			return rr, err
		}
	}
}

// take reads one verified part of a receipt.
func (rr *receiptRead) take(name string, data []byte) error {
	bad := bundle.Refuse(bundle.CodeRecords, "the receipt's "+name+" is not what its format says")
	switch name {
	case bundle.PartResults:
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var x resultJSON
			if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
				return bad
			}
			d := app.DeliveryResult{ID: x.ID, Status: x.Status, ServerRef: x.ServerRef, AuditHead: x.AuditHead}
			if x.Error != nil {
				d.Code, d.Detail = x.Error.Code, x.Error.Detail
			}
			rr.results = append(rr.results, d)
		}
		if sc.Err() != nil || len(rr.results) != rr.m.Records {
			return bad
		}
	case bundle.PartUpdates:
		if err := json.Unmarshal(data, &rr.updates); err != nil {
			return bad
		}
	default:
		return bundle.Refuse(bundle.CodeEntry, "a receipt holds no "+name)
	}
	return nil
}
