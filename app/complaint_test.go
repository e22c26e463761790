package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kocasinan/gise/app"
)

func TestComplaintValidate(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	valid := func() app.Complaint {
		return app.Complaint{CitizenID: "c1", Kind: app.KindRequest, CategoryCode: "TEM-01",
			Description: " Çöp alınmadı. ", Channel: app.ChannelPaper, PaperRef: "EVR-1",
			PaperDate: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	}
	c := valid()
	if err := c.Validate(now); err != nil || c.Description != "Çöp alınmadı." {
		t.Fatalf("valid complaint: %v %q", err, c.Description)
	}
	tests := []struct {
		field  string
		change func(*app.Complaint)
	}{
		{"kind", func(c *app.Complaint) { c.Kind = "praise" }},
		{"category_code", func(c *app.Complaint) { c.CategoryCode = "" }},
		{"description", func(c *app.Complaint) { c.Description = "  " }},
		{"description", func(c *app.Complaint) { c.Description = strings.Repeat("ş", 4001) }},
		{"citizen_id", func(c *app.Complaint) { c.CitizenID = "" }},
		{"citizen_id", func(c *app.Complaint) { c.Anonymous = true }},
		{"paper_ref", func(c *app.Complaint) { c.PaperRef = "" }},
		{"paper_date", func(c *app.Complaint) { c.PaperDate = now.AddDate(0, 0, 1) }},
		{"paper_ref", func(c *app.Complaint) { c.Channel = app.ChannelCounter }},
		{"channel", func(c *app.Complaint) { c.Channel = "fax" }},
		{"attachments", func(c *app.Complaint) {
			c.Attachments = []app.Attachment{{SHA256: strings.Repeat("a", 64), MediaType: "image/gif", Size: 10}}
		}},
		{"attachments", func(c *app.Complaint) {
			c.Attachments = []app.Attachment{{SHA256: strings.Repeat("a", 64), MediaType: "image/png", Size: 21 << 20}}
		}},
	}
	for _, tt := range tests {
		c := valid()
		tt.change(&c)
		if err := c.Validate(now); app.ErrorField(err) != tt.field || app.ErrorMessage(err) == "" {
			t.Errorf("%s: %v", tt.field, err)
		}
	}
	c = valid()
	c.Description = strings.Repeat("ğ", 4000) // 4000 characters, 8000 bytes
	if err := c.Validate(now); err != nil {
		t.Errorf("4000 Turkish characters: %v", err)
	}
}

// An empty scan is not "too large": each refusal says what is wrong with the
// file, so the clerk knows whether to rescan or to pick another file.
func TestAttachmentRefusalsSayWhatIsWrong(t *testing.T) {
	sha := strings.Repeat("a", 64)
	tests := []struct {
		a    app.Attachment
		want string
	}{
		{app.Attachment{SHA256: sha, MediaType: "application/pdf", Size: 0}, "boş"},
		{app.Attachment{SHA256: sha, MediaType: "application/pdf", Size: 21 << 20}, "20 MB"},
		{app.Attachment{SHA256: sha, MediaType: "image/gif", Size: 10}, "JPEG, PNG ve PDF"},
	}
	for _, tt := range tests {
		msg := app.ErrorMessage(app.ValidateAttachments([]app.Attachment{tt.a}))
		if !strings.Contains(msg, tt.want) {
			t.Errorf("size %d, %s: message %q does not say %q", tt.a.Size, tt.a.MediaType, msg, tt.want)
		}
	}
}
