package counter

import (
	"context"
	"slices"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/kvkk"
)

// supervisorRoles may list and answer data-subject applications.
var supervisorRoles = []app.Role{app.RoleSupervisor}

// RecordApplication records a data-subject application (law 6698 art. 11)
// of the visit's citizen, whose identity must have been verified against a
// document, in this visit or an earlier one. The returned application holds
// the tracking code and due date the receipt shows.
func (s *Service) RecordApplication(ctx context.Context, sess *auth.Session, v *Visit, in kvkk.ApplicationInput) (*kvkk.Application, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	id := v.CitizenID()
	if id == "" {
		return nil, app.Errorf(app.EINVALID, "Başvuru için önce vatandaşı arayıp seçin ya da kaydedin.")
	}
	ok, err := s.verified(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.EINVALID, "Başvuruyu kaydetmeden önce vatandaşın kimliğini belgeyle doğrulayın.")
	}
	a, err := kvkk.ParseApplication(in, id, s.Now())
	if err != nil {
		return nil, err
	}
	if err := s.Store.RecordApplication(ctx, sess.Actor(), &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// verified reports whether the citizen's identity was verified in this
// visit or by a stored check.
func (s *Service) verified(ctx context.Context, v *Visit, citizenID string) (bool, error) {
	if v.Verified() {
		return true, nil
	}
	checks, err := s.Store.IdentityChecks(ctx, citizenID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(checks, func(c *app.IdentityCheck) bool { return c.Result == app.Verified }), nil
}

// OpenApplications lists unanswered applications, the earliest due first,
// for a supervisor.
func (s *Service) OpenApplications(ctx context.Context, sess *auth.Session) ([]*kvkk.Application, error) {
	if err := auth.Require(ctx, sess, supervisorRoles...); err != nil {
		return nil, err
	}
	return s.Store.OpenApplications(ctx, 500)
}

// AnswerApplication records, for a supervisor, the answer given to an
// application; the store audits it.
func (s *Service) AnswerApplication(ctx context.Context, sess *auth.Session, id, answer string) error {
	if err := auth.Require(ctx, sess, supervisorRoles...); err != nil {
		return err
	}
	return s.Store.AnswerApplication(ctx, sess.Actor(), id, answer)
}

// RevealNationalID returns a citizen's whole national ID, for the citizen's
// own page, and audits that it was shown and to whom. Elsewhere the number
// is shown masked.
func (s *Service) RevealNationalID(ctx context.Context, sess *auth.Session, citizenID string) (app.NationalID, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return "", err
	}
	c, err := s.Store.CitizenByID(ctx, citizenID)
	if err != nil {
		return "", err
	}
	if err := s.Store.Audit(ctx, sess.Actor(), "citizen.national_id_shown", citizenID); err != nil {
		return "", err
	}
	return c.NationalID, nil
}
