package app

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Kind is what a citizen brings: a complaint, a request, a suggestion, a
// question, or thanks.
type Kind string

// Kinds of the contract.
const (
	KindComplaint   Kind = "complaint"
	KindRequest     Kind = "request"
	KindSuggestion  Kind = "suggestion"
	KindInformation Kind = "information"
	KindThanks      Kind = "thanks"
)

// Kinds lists every kind in the order forms offer them.
var Kinds = []Kind{KindComplaint, KindRequest, KindSuggestion, KindInformation, KindThanks}

// MaxDescription is the longest description, in characters.
const MaxDescription = 4000

// Attachment is a scan or photo of a paper form, named by the SHA-256 of its
// bytes.
type Attachment struct {
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	Name      string `json:"name"`
}

// MaxAttachmentSize is the contract's limit for one attachment.
const MaxAttachmentSize = 20 << 20

var (
	sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)
	codeRe    = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,31}$`)
)

// Complaint is a complaint, request, suggestion, question or thanks, filed on
// paper, at a counter, at self-service or at a field office.
type Complaint struct {
	ID                string
	TrackingCode      TrackingCode
	CitizenID         string // "" when anonymous
	Anonymous         bool
	Kind              Kind
	CategoryCode      string
	Description       string
	Address           string
	NeighbourhoodCode string
	Channel           Channel
	PaperRef          string
	PaperDate         time.Time // zero unless the complaint arrived on paper
	Attachments       []Attachment
	Clerk             string
	CreatedAt         time.Time
	Status            string // last status pulled from the central, "received" at first
}

// Validate checks the complaint against the contract and the day it is filed.
func (c *Complaint) Validate(now time.Time) error {
	c.Description = strings.TrimSpace(c.Description)
	c.Address = strings.TrimSpace(c.Address)
	c.PaperRef = strings.TrimSpace(c.PaperRef)
	if err := c.validateWhat(); err != nil {
		return err
	}
	if err := c.validateWho(); err != nil {
		return err
	}
	if err := c.validatePaper(now); err != nil {
		return err
	}
	return ValidateAttachments(c.Attachments)
}

func (c *Complaint) validateWhat() error {
	switch c.Kind {
	case KindComplaint, KindRequest, KindSuggestion, KindInformation, KindThanks:
	default:
		return FieldError("kind", "Başvuru türünü seçin (şikâyet, talep, öneri, bilgi edinme, teşekkür).")
	}
	if !codeRe.MatchString(c.CategoryCode) {
		return FieldError("category_code", "Konu kategorisini listeden seçin.")
	}
	if c.NeighbourhoodCode != "" && !codeRe.MatchString(c.NeighbourhoodCode) {
		return FieldError("neighbourhood_code", "Mahalleyi listeden seçin.")
	}
	n := len([]rune(c.Description))
	if n == 0 {
		return FieldError("description", "Açıklama boş olamaz; vatandaşın derdini kısaca yazın.")
	}
	if n > MaxDescription {
		return FieldError("description", "Açıklama en fazla 4000 karakter olabilir; metni kısaltın.")
	}
	if len([]rune(c.Address)) > 500 {
		return FieldError("address", "Adres en fazla 500 karakter olabilir.")
	}
	return nil
}

func (c *Complaint) validateWho() error {
	if c.Anonymous && c.CitizenID != "" {
		return FieldError("citizen_id", "İsimsiz başvuruya vatandaş bağlanamaz; ya vatandaşı seçin ya da isimsiz işaretleyin.")
	}
	if !c.Anonymous && c.CitizenID == "" {
		return FieldError("citizen_id", "Vatandaşı bulun ya da başvuruyu isimsiz olarak işaretleyin.")
	}
	return nil
}

func (c *Complaint) validatePaper(now time.Time) error {
	switch c.Channel {
	case ChannelPaper:
		if c.PaperRef == "" {
			return FieldError("paper_ref", "Kâğıt başvurunun evrak numarasını yazın.")
		}
		if c.PaperDate.IsZero() {
			return FieldError("paper_date", "Kâğıt başvurunun tarihini yazın.")
		}
		if c.PaperDate.After(Today(now)) {
			return FieldError("paper_date", "Evrak tarihi bugünden sonra olamaz.")
		}
	case ChannelCounter, ChannelSelfService, ChannelFieldOffice:
		if c.PaperRef != "" || !c.PaperDate.IsZero() {
			return FieldError("paper_ref", "Evrak numarası ve tarihi yalnızca kâğıtla gelen başvurularda yazılır.")
		}
	default:
		return FieldError("channel", "Başvurunun geliş kanalını seçin.")
	}
	if len([]rune(c.PaperRef)) > 64 {
		return FieldError("paper_ref", "Evrak numarası en fazla 64 karakter olabilir.")
	}
	return nil
}

// ValidateAttachments checks each attachment's hash, size and media type
// (JPEG, PNG or PDF, at most 20 MiB).
func ValidateAttachments(list []Attachment) error {
	for _, a := range list {
		if !sha256Hex.MatchString(a.SHA256) {
			return FieldError("attachments", "Ek dosyanın özeti bozuk; dosyayı yeniden ekleyin.")
		}
		if a.Size <= 0 {
			return FieldError("attachments", "Dosya boş; taramayı yeniden yapın ya da başka bir dosya seçin.")
		}
		if a.Size > MaxAttachmentSize {
			return FieldError("attachments", "Bir ek en fazla 20 MB olabilir; taramayı daha düşük çözünürlükte yapın.")
		}
		switch a.MediaType {
		case "image/jpeg", "image/png", "application/pdf":
		default:
			return FieldError("attachments", "Yalnızca JPEG, PNG ve PDF dosyaları eklenebilir.")
		}
	}
	return nil
}

// ComplaintStore keeps complaints.
type ComplaintStore interface {
	// FileComplaint stores c (ID, tracking code, CreatedAt set when empty)
	// and queues complaint.filed. ENOTFOUND when the citizen does not exist.
	FileComplaint(ctx context.Context, actor Actor, c *Complaint) error
	// ComplaintByTrackingCode returns ENOTFOUND when there is no such code.
	ComplaintByTrackingCode(ctx context.Context, code TrackingCode) (*Complaint, error)
	// ComplaintHistory returns the statuses pulled for a complaint, oldest first.
	ComplaintHistory(ctx context.Context, complaintID string) ([]StatusChange, error)
	// RecentComplaints returns this terminal's latest complaints, newest first.
	RecentComplaints(ctx context.Context, limit int) ([]*Complaint, error)
}

// StatusChange is one status of a complaint as the central reported it.
type StatusChange struct {
	Status string
	Note   string
	At     time.Time
}
