package app

import (
	"context"
	"strings"
	"time"
)

// DocumentMethod is how an identity was checked.
type DocumentMethod string

// Methods of the contract.
const (
	MethodIDCardChip      DocumentMethod = "id_card_chip"
	MethodIDCard          DocumentMethod = "id_card"
	MethodOldIDBooklet    DocumentMethod = "old_id_booklet"
	MethodPassport        DocumentMethod = "passport"
	MethodResidencePermit DocumentMethod = "residence_permit"
	MethodOnlineKPS       DocumentMethod = "online_kps"
)

// VerificationResult is the outcome of an identity check.
type VerificationResult string

// Results of the contract.
const (
	Verified    VerificationResult = "verified"
	Mismatch    VerificationResult = "mismatch"
	NotVerified VerificationResult = "not_verified"
)

// IdentityCheck records that a clerk compared the person at the counter with
// an identity document.
type IdentityCheck struct {
	ID          string
	CitizenID   string
	Method      DocumentMethod
	SerialLast4 string // last four characters of the document serial
	Result      VerificationResult
	Clerk       string
	Note        string
	CheckedAt   time.Time
	// PhotoMatched: the clerk compared the document's photo with the person
	// at the counter and they match. A check cannot be "verified" without it
	// (except an online KPS query, which has no photo).
	PhotoMatched bool
	// DocumentExpiry is the document's expiry when it was read from its
	// machine-readable zone (zero when typed by hand): an expired document
	// cannot verify anyone. Not stored.
	DocumentExpiry time.Time
	// MRZPassed: the zone was read and matched the record in every point
	// (app.MRZMatch.Passed); the check's note then opens with MRZNote.
	MRZPassed bool
}

// Validate checks the method, the serial's last four and the result.
func (v *IdentityCheck) Validate() error {
	switch v.Method {
	case MethodIDCardChip, MethodIDCard, MethodOldIDBooklet, MethodPassport, MethodResidencePermit, MethodOnlineKPS:
	default:
		return FieldError("method", "Belge türünü seçin.")
	}
	v.SerialLast4 = UpperTR(strings.TrimSpace(v.SerialLast4))
	if v.Method != MethodOnlineKPS && len([]rune(v.SerialLast4)) != 4 {
		return FieldError("document_serial_last4", "Belge seri numarasının son 4 karakterini yazın.")
	}
	switch v.Result {
	case Verified, Mismatch, NotVerified:
	default:
		return FieldError("result", "Doğrulama sonucunu seçin.")
	}
	if v.CitizenID == "" {
		return FieldError("citizen_id", "Önce vatandaşı seçin.")
	}
	if len([]rune(v.Note)) > 500 {
		return FieldError("note", "Not en fazla 500 karakter olabilir.")
	}
	return nil
}

// NoticeDelivery is how the disclosure notice reached the citizen.
type NoticeDelivery string

// Deliveries of the contract.
const (
	NoticePrinted NoticeDelivery = "printed"
	NoticeScreen  NoticeDelivery = "screen"
)

// NoticeAck is the proof that a version of the disclosure notice (Aydınlatma
// Metni) was given to a citizen, or to an anonymous visitor.
type NoticeAck struct {
	ID        string
	CitizenID string // "" when anonymous or not registered yet
	Version   int
	SHA256    string
	Language  string // "tr" or "en"
	Delivery  NoticeDelivery
	PrintJob  string
	Clerk     string
	At        time.Time
}

// Validate checks the version, hash, language and delivery.
func (n *NoticeAck) Validate() error {
	if n.Version < 1 || len(n.SHA256) != 64 {
		return Errorf(EINVALID, "Aydınlatma metninin sürümü bilinmiyor; metni yeniden gösterin.")
	}
	if n.Language != "tr" && n.Language != "en" {
		return FieldError("language", "Aydınlatma metninin dili Türkçe ya da İngilizce olmalıdır.")
	}
	if n.Delivery != NoticePrinted && n.Delivery != NoticeScreen {
		return FieldError("delivery", "Aydınlatma metninin nasıl verildiğini seçin (yazdırıldı ya da ekranda gösterildi).")
	}
	return nil
}

// VisitStore keeps what happens at the counter around a citizen: identity
// checks and notice acknowledgements. Every write queues its record and
// appends its audit event in the same transaction.
type VisitStore interface {
	// RecordIdentityCheck stores v and queues identity.verified. ENOTFOUND
	// when the citizen does not exist.
	RecordIdentityCheck(ctx context.Context, actor Actor, v *IdentityCheck) error
	// IdentityChecks returns a citizen's checks, newest first.
	IdentityChecks(ctx context.Context, citizenID string) ([]*IdentityCheck, error)
	// AcknowledgeNotice stores n and queues notice.acknowledged.
	AcknowledgeNotice(ctx context.Context, actor Actor, n *NoticeAck) error
	// NoticeAcks returns a citizen's acknowledgements, newest first.
	NoticeAcks(ctx context.Context, citizenID string) ([]*NoticeAck, error)
}

// ActivationDelivery is how the central sends a citizen the e-Belediye
// password set-up link.
type ActivationDelivery string

// Deliveries of account.activation_requested.
const (
	ActivationSMS   ActivationDelivery = "sms"
	ActivationEmail ActivationDelivery = "email"
)

// ActivationRequestedData is the data of account.activation_requested.
type ActivationRequestedData struct {
	CitizenID  string `json:"citizen_id"`
	Delivery   string `json:"delivery"`
	Clerk      string `json:"clerk"`
	TerminalID string `json:"terminal_id"`
}

// ActivationStore queues e-Belediye password set-up requests.
type ActivationStore interface {
	// RequestActivation queues account.activation_requested for a citizen
	// with its audit event. ENOTFOUND when the citizen does not exist.
	RequestActivation(ctx context.Context, actor Actor, citizenID string, d ActivationDelivery) error
}
