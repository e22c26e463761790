// Package counter is the work done at a service counter and at a
// self-service terminal: registering citizens, checking identities, recording
// complaints and requests, looking them up. Every method checks the caller's
// role itself, so a screen that forgot to hide a button still cannot do what
// its clerk may not.
package counter

import (
	"context"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/kvkk"
	"github.com/kocasinan/gise/app/notice"
)

// Store is what the counter needs from the local store.
type Store interface {
	app.CitizenStore
	app.VisitStore
	app.ComplaintStore
	app.ActivationStore
	app.DayCountStore
	kvkk.ApplicationStore
	SaveAttachment(ctx context.Context, name string, data []byte) (app.Attachment, error)
	// Audit appends one event to the audit chain (app.AuditStore).
	Audit(ctx context.Context, actor app.Actor, action, object string) error
}

// counterRoles may do counter work. Administrators keep accounts and settings
// and do not see citizens' data.
var counterRoles = []app.Role{app.RoleClerk, app.RoleSupervisor}

// Service is the counter's work. Now is the clock.
type Service struct {
	Store Store
	Now   func() time.Time
}

// New returns a counter service on store.
func New(store Store) *Service { return &Service{Store: store, Now: time.Now} }

// StartVisit begins serving one person at the counter: the visit remembers
// whether the notice was given before a registration. It stores and shows
// nothing, so it checks the session without the store (auth.Permits), on
// the screen's goroutine; every service call the visit leads to Requires.
func (s *Service) StartVisit(sess *auth.Session, citizenID string) (*Visit, error) {
	if err := auth.Permits(sess, counterRoles...); err != nil {
		return nil, err
	}
	return &Visit{Visit: notice.NewVisit(s.Store, sess.Actor(), citizenID)}, nil
}

// Register validates the form and registers the citizen within the visit,
// which must have given the notice. An already registered national ID
// returns ECONFLICT with the existing citizen, so the screen can open it.
func (s *Service) Register(ctx context.Context, sess *auth.Session, v *Visit, in app.CitizenInput) (*app.Citizen, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	c, err := app.ParseCitizen(in, s.Now())
	if err != nil {
		return nil, err
	}
	if existing, err := s.Store.CitizenByNationalID(ctx, c.NationalID); err == nil {
		return existing, &app.Error{Code: app.ECONFLICT, Field: "national_id",
			Message: "Bu kimlik numarasıyla kayıtlı bir vatandaş var; onun sayfası açıldı."}
	}
	c.Channel = app.ChannelCounter
	if err := v.Register(ctx, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Find looks citizens up by what the clerk typed: an 11-digit national ID,
// a phone number, or the start of a name.
func (s *Service) Find(ctx context.Context, sess *auth.Session, query string) ([]*app.Citizen, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	query = strings.TrimSpace(query)
	if looksNumeric(query) {
		if n, err := app.ParseNationalID(query); err == nil {
			c, err := s.Store.CitizenByNationalID(ctx, n)
			if app.ErrorCode(err) == app.ENOTFOUND {
				return nil, nil
			}
			return []*app.Citizen{c}, err
		}
		if p, err := app.NormalizePhone(query); err == nil && p != "" {
			found, err := s.Store.FindCitizensByPhone(ctx, p)
			app.SortTR(found, func(c *app.Citizen) []string { return []string{c.LastName, c.FirstName} })
			return found, err
		}
		return nil, app.FieldError("query", "Aranan numara ne geçerli bir kimlik numarası ne de telefon; rakamları kontrol edin.")
	}
	if len([]rune(query)) < 2 {
		return nil, app.FieldError("query", "Aramak için en az iki harf, kimlik numarası ya da telefon yazın.")
	}
	found, err := s.Store.FindCitizensByName(ctx, query, 20)
	app.SortTR(found, func(c *app.Citizen) []string { return []string{c.LastName, c.FirstName} })
	return found, err
}

func looksNumeric(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-", r):
		default:
			return false
		}
	}
	return digits > 0
}

// Citizen returns one citizen.
func (s *Service) Citizen(ctx context.Context, sess *auth.Session, id string) (*app.Citizen, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	return s.Store.CitizenByID(ctx, id)
}
