package central

import (
	"encoding/json"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/kocasinan/gise/app"
)

var knownTypes = map[string]bool{
	app.TypeCitizenRegistered: true, app.TypeCitizenUpdated: true, app.TypeIdentityVerified: true,
	app.TypeNoticeAcknowledged: true, app.TypeComplaintFiled: true, app.TypeDataSubjectRequest: true,
	app.TypeActivationRequested: true, app.TypeAuditEvent: true, app.TypeRetentionDestroyed: true,
}

var elevenDigits = regexp.MustCompile(`^[1-9][0-9]{10}$`)

// validate returns the rejection code and reason of a new record, or "".
// It checks what the back office would: the type and schema, the national
// ID's form, and a complaint's category, description and attachments. It
// reads the data's members as canonicalObject returned them.
func (b *batchTx) validate(in *inRecord) (code, detail string) {
	typ, schema, data := in.Type, in.Schema, in.top
	if !knownTypes[typ] {
		return "unknown_type", fmt.Sprintf("record type %q is not part of schema 1", typ)
	}
	if schema != app.RecordSchema {
		return "unsupported_schema", fmt.Sprintf("schema %d is not supported", schema)
	}
	switch typ {
	case app.TypeCitizenRegistered:
		if id, ok := data.str("national_id"); !ok || !elevenDigits.MatchString(id) {
			return "invalid_national_id", "national_id must be 11 digits"
		}
	case app.TypeComplaintFiled:
		if in.complaint == nil {
			return "invalid_data", "data does not match complaint.filed"
		}
		return b.validateComplaint(in.complaint)
	}
	return "", ""
}

// complaintFields are the parts of complaint.filed the central checks.
type complaintFields struct {
	TrackingCode string
	CategoryCode string
	Description  string
	Attachments  []struct {
		SHA256 string `json:"sha256"`
		Size   int64  `json:"size"`
	}
}

// read fills d from a complaint's members; false when one has the wrong
// type.
func (d *complaintFields) read(data members) bool {
	*d = complaintFields{}
	var ok [3]bool
	d.TrackingCode, ok[0] = data.str("tracking_code")
	d.CategoryCode, ok[1] = data.str("category_code")
	d.Description, ok[2] = data.str("description")
	if ok != [3]bool{true, true, true} {
		return false
	}
	if raw, has := data.get("attachments"); has {
		return json.Unmarshal(raw, &d.Attachments) == nil
	}
	return true
}

func (b *batchTx) validateComplaint(d *complaintFields) (code, detail string) {
	if n := utf8.RuneCountInString(d.Description); n == 0 || n > app.MaxDescription {
		return "invalid_description", "description must hold 1 to 4000 characters"
	}
	active, known := b.view.categories[d.CategoryCode]
	switch {
	case !known:
		return "invalid_category", fmt.Sprintf("category %s is unknown", d.CategoryCode)
	case !active:
		return "invalid_category", fmt.Sprintf("category %s is retired", d.CategoryCode)
	}
	for _, a := range d.Attachments {
		if !shaRe.MatchString(a.SHA256) || a.Size <= 0 || a.Size > app.MaxAttachmentSize {
			return "invalid_data", "an attachment needs a sha256 and a size up to 20 MiB"
		}
		if !b.view.attachments[a.SHA256] {
			return "missing_attachment", "attachment " + a.SHA256 + " was not uploaded first"
		}
	}
	return "", ""
}
