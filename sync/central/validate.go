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
// ID's form, and a complaint's category, description and attachments.
func (b *batchTx) validate(typ string, schema int, d map[string]any) (code, detail string) {
	if !knownTypes[typ] {
		return "unknown_type", fmt.Sprintf("record type %q is not part of schema 1", typ)
	}
	if schema != app.RecordSchema {
		return "unsupported_schema", fmt.Sprintf("schema %d is not supported", schema)
	}
	switch typ {
	case app.TypeCitizenRegistered:
		if id, _ := d["national_id"].(string); !elevenDigits.MatchString(id) {
			return "invalid_national_id", "national_id must be 11 digits"
		}
	case app.TypeComplaintFiled:
		return b.validateComplaint(d)
	}
	return "", ""
}

func (b *batchTx) validateComplaint(d map[string]any) (code, detail string) {
	desc, _ := d["description"].(string)
	if n := utf8.RuneCountInString(desc); n == 0 || n > app.MaxDescription {
		return "invalid_description", "description must hold 1 to 4000 characters"
	}
	if b.categories == nil {
		if err := b.loadCategories(); err != nil {
			return "invalid_category", "category lookup failed"
		}
	}
	cat, _ := d["category_code"].(string)
	active, known := b.categories[cat]
	switch {
	case !known:
		return "invalid_category", fmt.Sprintf("category %s is unknown", cat)
	case !active:
		return "invalid_category", fmt.Sprintf("category %s is retired", cat)
	}
	atts, ok := d["attachments"].([]any)
	if !ok && d["attachments"] != nil {
		return "invalid_data", "attachments must be a list"
	}
	for _, a := range atts {
		m, _ := a.(map[string]any)
		sha, _ := m["sha256"].(string)
		size, _ := m["size"].(json.Number)
		if n, err := size.Int64(); !shaRe.MatchString(sha) || err != nil || n <= 0 || n > app.MaxAttachmentSize {
			return "invalid_data", "an attachment needs a sha256 and a size up to 20 MiB"
		}
		var one int
		if b.tx.QueryRowContext(b.ctx, `SELECT 1 FROM attachments WHERE sha256 = ?`, sha).Scan(&one) != nil {
			return "missing_attachment", "attachment " + sha + " was not uploaded first"
		}
	}
	return "", ""
}

func (b *batchTx) loadCategories() error {
	rows, err := b.tx.QueryContext(b.ctx, `SELECT code, active FROM categories`)
	if err != nil {
		return err
	}
	defer rows.Close()
	b.categories = map[string]bool{}
	for rows.Next() {
		var code string
		var active bool
		if err := rows.Scan(&code, &active); err != nil {
			return err
		}
		b.categories[code] = active
	}
	return rows.Err()
}
