package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
func (s *Server) validate(ctx context.Context, tx *sql.Tx, r *app.Record) (code, detail string) {
	if !knownTypes[r.Type] {
		return "unknown_type", fmt.Sprintf("record type %q is not part of schema 1", r.Type)
	}
	if r.Schema != app.RecordSchema {
		return "unsupported_schema", fmt.Sprintf("schema %d is not supported", r.Schema)
	}
	switch r.Type {
	case app.TypeCitizenRegistered:
		var d app.CitizenRegisteredData
		if json.Unmarshal(r.Data, &d) != nil || !elevenDigits.MatchString(d.NationalID) {
			return "invalid_national_id", "national_id must be 11 digits"
		}
	case app.TypeComplaintFiled:
		var d app.ComplaintFiledData
		if json.Unmarshal(r.Data, &d) != nil {
			return "invalid_data", "data does not match complaint.filed"
		}
		return s.validateComplaint(ctx, tx, &d)
	}
	return "", ""
}

func (s *Server) validateComplaint(ctx context.Context, tx *sql.Tx, d *app.ComplaintFiledData) (code, detail string) {
	n := utf8.RuneCountInString(d.Description)
	if n == 0 || n > app.MaxDescription {
		return "invalid_description", "description must hold 1 to 4000 characters"
	}
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT active FROM categories WHERE code = ?`, d.CategoryCode).Scan(&active)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "invalid_category", fmt.Sprintf("category %s is unknown", d.CategoryCode)
	case err != nil:
		return "invalid_category", "category lookup failed"
	case !active:
		return "invalid_category", fmt.Sprintf("category %s is retired", d.CategoryCode)
	}
	for _, a := range d.Attachments {
		var one int
		if tx.QueryRowContext(ctx, `SELECT 1 FROM attachments WHERE sha256 = ?`, a.SHA256).Scan(&one) != nil {
			return "missing_attachment", "attachment " + a.SHA256 + " was not uploaded first"
		}
	}
	return "", ""
}
