// Package kvkk is the terminal's side of Turkey's personal data protection
// law (6698, KVKK): data-subject applications under article 11, the
// retention and destruction policy, and what a breach notification needs to
// know about the personal data this terminal holds. It holds domain types
// and their rules only; the SQLite store keeps them.
package kvkk

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kocasinan/gise/app"
)

// Right is one of the rights of article 11 a citizen may ask to use.
type Right string

// The rights of law 6698 article 11, in the law's order.
const (
	RightInfo             Right = "info"              // whether their data is processed
	RightAccess           Right = "access"            // information about the processing
	RightPurpose          Right = "purpose"           // its purpose and whether it is used for it
	RightRecipients       Right = "recipients"        // third parties it is transferred to
	RightRectify          Right = "rectify"           // correction of incomplete or wrong data
	RightErase            Right = "erase"             // deletion or destruction
	RightNotifyRecipients Right = "notify_recipients" // telling recipients of corrections and deletions
	RightObjectAutomated  Right = "object_automated"  // objection to a result of automated analysis
	RightCompensation     Right = "compensation"      // compensation of damage from unlawful processing
)

// Rights lists every right in the law's order.
var Rights = []Right{RightInfo, RightAccess, RightPurpose, RightRecipients, RightRectify, RightErase,
	RightNotifyRecipients, RightObjectAutomated, RightCompensation}

// ReplyChannel is how the controller answers an application.
type ReplyChannel string

// Reply channels of the contract.
const (
	ReplyPost     ReplyChannel = "post"
	ReplyEmail    ReplyChannel = "email"
	ReplyInPerson ReplyChannel = "in_person"
)

// ReplyChannels lists every reply channel.
var ReplyChannels = []ReplyChannel{ReplyPost, ReplyEmail, ReplyInPerson}

// ResponseDays is the law's deadline for an answer (article 13): 30 days.
const ResponseDays = 30

// MaxDetail is the longest application text accepted, in characters.
const MaxDetail = 4000

// Application is one data-subject application recorded at the counter.
type Application struct {
	ID           string // UUID, made on the terminal
	TrackingCode app.TrackingCode
	CitizenID    string
	Rights       []Right
	Detail       string
	ReplyChannel ReplyChannel
	ReplyAddress string // postal address or e-mail; "" for in person
	Clerk        string
	ReceivedAt   time.Time
	DueDate      time.Time // midnight UTC of the last day to answer
	AnsweredAt   time.Time // zero while open
	AnsweredBy   string
	Answer       string
}

// ApplicationInput is the application form as typed.
type ApplicationInput struct {
	Rights       []Right
	Detail       string
	ReplyChannel ReplyChannel
	ReplyAddress string
}

// ParseApplication validates and normalises a form for a citizen received
// at now. It returns the first problem as an EINVALID *app.Error naming the
// field.
func ParseApplication(in ApplicationInput, citizenID string, now time.Time) (Application, error) {
	a := Application{CitizenID: citizenID, ReceivedAt: now, DueDate: DueDate(now),
		Detail: strings.TrimSpace(in.Detail), ReplyChannel: in.ReplyChannel}
	for _, r := range Rights {
		if slices.Contains(in.Rights, r) {
			a.Rights = append(a.Rights, r)
		}
	}
	for _, r := range in.Rights {
		if !slices.Contains(Rights, r) {
			return a, app.FieldError("rights", "Listede olmayan bir hak seçildi; seçimi yeniden yapın.")
		}
	}
	if len(a.Rights) == 0 {
		return a, app.FieldError("rights", "Vatandaşın kullanmak istediği en az bir hakkı işaretleyin.")
	}
	if a.Detail == "" {
		return a, app.FieldError("detail", "Başvurunun konusunu vatandaşın anlattığı gibi kısaca yazın.")
	}
	if utf8.RuneCountInString(a.Detail) > MaxDetail {
		return a, app.FieldError("detail", "Başvuru metni en fazla 4000 karakter olabilir; metni kısaltın.")
	}
	var err error
	if a.ReplyAddress, err = parseReplyAddress(in.ReplyChannel, in.ReplyAddress); err != nil {
		return a, err
	}
	return a, nil
}

func parseReplyAddress(ch ReplyChannel, addr string) (string, error) {
	addr = strings.Join(strings.Fields(addr), " ")
	switch ch {
	case ReplyEmail:
		e, err := app.NormalizeEmail(addr)
		if err != nil || e == "" {
			return "", app.FieldError("reply_address", "Yanıt e-postayla gidecekse geçerli bir e-posta adresi yazın.")
		}
		return e, nil
	case ReplyPost:
		if utf8.RuneCountInString(addr) < 10 {
			return "", app.FieldError("reply_address", "Yanıt postayla gidecekse açık adresi (mahalle, sokak, numara, ilçe) yazın.")
		}
		return addr, nil
	case ReplyInPerson:
		return addr, nil
	}
	return "", app.FieldError("reply_channel", "Yanıtın nasıl verileceğini seçin: posta, e-posta ya da elden.")
}

// DueDate is the last day to answer an application received at t: 30 days
// on, as a date (midnight UTC).
func DueDate(t time.Time) time.Time { return app.Today(t).AddDate(0, 0, ResponseDays) }

// Open reports whether the application has not been answered yet.
func (a *Application) Open() bool { return a.AnsweredAt.IsZero() }

// Overdue reports whether the application is open after its due date.
func (a *Application) Overdue(now time.Time) bool {
	return a.Open() && app.Today(now).After(a.DueDate)
}

// RequestData is the data of a data_subject.request record.
type RequestData struct {
	RequestID    string   `json:"request_id"`
	TrackingCode string   `json:"tracking_code"`
	CitizenID    string   `json:"citizen_id"`
	Rights       []string `json:"rights"`
	Detail       string   `json:"detail"`
	ReplyChannel string   `json:"reply_channel"`
	ReplyAddress string   `json:"reply_address"`
	ReceivedAt   string   `json:"received_at"`
	DueDate      string   `json:"due_date"`
	Clerk        string   `json:"clerk"`
}

// RecordData returns the application's record payload.
func (a *Application) RecordData() RequestData {
	rights := make([]string, len(a.Rights))
	for i, r := range a.Rights {
		rights[i] = string(r)
	}
	return RequestData{RequestID: a.ID, TrackingCode: a.TrackingCode.String(), CitizenID: a.CitizenID,
		Rights: rights, Detail: a.Detail, ReplyChannel: string(a.ReplyChannel), ReplyAddress: a.ReplyAddress,
		ReceivedAt: a.ReceivedAt.Format(time.RFC3339), DueDate: a.DueDate.Format(app.DateLayout), Clerk: a.Clerk}
}

// ApplicationStore keeps applications. Every write also queues its record
// and appends its audit event in the same transaction.
type ApplicationStore interface {
	// RecordApplication stores a parsed application, drawing its tracking
	// code, and queues its data_subject.request record. ENOTFOUND when the
	// citizen is not stored.
	RecordApplication(ctx context.Context, actor app.Actor, a *Application) error
	// OpenApplications returns up to limit unanswered applications, the
	// earliest due first.
	OpenApplications(ctx context.Context, limit int) ([]*Application, error)
	// AnswerApplication records the answer given to an application.
	// ENOTFOUND when there is none with this id, ECONFLICT when it was
	// answered already.
	AnswerApplication(ctx context.Context, actor app.Actor, id, answer string) error
	// Applications returns a citizen's applications, the newest first.
	Applications(ctx context.Context, citizenID string) ([]*Application, error)
	// ApplicationByTrackingCode returns the application whose receipt
	// carries code. ENOTFOUND when this terminal recorded none.
	ApplicationByTrackingCode(ctx context.Context, code app.TrackingCode) (*Application, error)
}
