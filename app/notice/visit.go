package notice

import (
	"context"
	"sync"

	"github.com/kocasinan/gise/app"
)

// Store is what a visit writes through: the store's existing methods, each of
// which commits the row, its outbox record and its audit event in one
// transaction.
type Store interface {
	RegisterCitizen(ctx context.Context, actor app.Actor, c *app.Citizen, ack *app.NoticeAck) error
	AcknowledgeNotice(ctx context.Context, actor app.Actor, n *app.NoticeAck) error
}

// FieldNotice is the Field of the error Register returns when the notice was
// not given in the visit, so that a screen can point at the notice button.
const FieldNotice = "notice"

// errNoNotice is the refusal to register a citizen who was not given the notice.
var errNoNotice = &app.Error{Code: app.EINVALID, Field: FieldNotice,
	Message: "Kayıt yapılamadı: KVKK gereği vatandaşa önce aydınlatma metni verilmelidir. " +
		"Metni ekranda gösterip okutun ya da yazdırıp verin, sonra kaydı yeniden deneyin."}

// Visit is one person's time at the counter, from the moment the clerk
// starts serving them. It remembers whether the notice was given, so that
// registering a citizen without it is refused, and it keeps the proof of
// every notice given. Safe for concurrent use.
type Visit struct {
	store Store
	actor app.Actor

	mu        sync.Mutex
	citizenID string
	pending   *app.NoticeAck // given before the citizen had a record
	given     bool
}

// NewVisit starts a visit served by actor. citizenID is the registered
// citizen being served, or "" for a newcomer or an anonymous visitor.
func NewVisit(store Store, actor app.Actor, citizenID string) *Visit {
	return &Visit{store: store, actor: actor, citizenID: citizenID}
}

// CitizenID returns the citizen served, "" while there is none.
func (v *Visit) CitizenID() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.citizenID
}

// NoticeGiven reports whether the notice was given in this visit.
func (v *Visit) NoticeGiven() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.given
}

// Give records that version ver was given as d (printJob is the CUPS job ID
// when printed). For a registered citizen the acknowledgement is stored at
// once; for a newcomer it is held and stored with the registration, in the
// same transaction; End stores it as anonymous if no registration follows.
func (v *Visit) Give(ctx context.Context, ver Version, d app.NoticeDelivery, printJob string) (*app.NoticeAck, error) {
	ack := ver.Ack(d, printJob)
	if err := ack.Validate(); err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.citizenID == "" {
		v.pending, v.given = ack, true
		return ack, nil
	}
	ack.CitizenID = v.citizenID
	if err := v.store.AcknowledgeNotice(ctx, v.actor, ack); err != nil {
		return nil, err
	}
	v.given = true
	return ack, nil
}

// GivePrinted records that version ver was given on paper, as print job
// job. A notice counts as given on paper only once it came out: EINVALID
// (Field FieldNotice) unless the job is printed, and nothing is recorded;
// the clerk may reprint it or show the notice on screen instead.
func (v *Visit) GivePrinted(ctx context.Context, ver Version, job *app.PrintJob) (*app.NoticeAck, error) {
	if job == nil || job.Status != app.PrintPrinted {
		return nil, errNotPrinted
	}
	return v.Give(ctx, ver, app.NoticePrinted, job.SystemJob)
}

// errNotPrinted refuses to record a printed notice that did not come out.
var errNotPrinted = &app.Error{Code: app.EINVALID, Field: FieldNotice,
	Message: "Aydınlatma metni yazıcıdan çıkmadı; verilmiş sayılmaz. Yeniden yazdırın ya da metni ekranda gösterin."}

// Register stores the citizen with the notice given in this visit, in one
// transaction. Without a notice given in this visit it refuses with an
// EINVALID error whose Field is FieldNotice and whose message tells the clerk
// what to do.
func (v *Visit) Register(ctx context.Context, c *app.Citizen) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.pending == nil {
		return errNoNotice
	}
	ack := *v.pending // a failed attempt must leave the held proof untouched
	if err := v.store.RegisterCitizen(ctx, v.actor, c, &ack); err != nil {
		return err
	}
	v.citizenID, v.pending = c.ID, nil
	return nil
}

// End closes the visit. A notice given to someone who was not registered is
// stored as given to an anonymous visitor, so that no proof is lost.
func (v *Visit) End(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.pending == nil {
		return nil
	}
	if err := v.store.AcknowledgeNotice(ctx, v.actor, v.pending); err != nil {
		return err
	}
	v.pending = nil
	return nil
}
