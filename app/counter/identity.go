package counter

import (
	"context"
	"strings"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
)

// VerifyIdentity records the clerk's check of the person against a document.
func (s *Service) VerifyIdentity(ctx context.Context, sess *auth.Session, v *Visit, check *app.IdentityCheck) error {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return err
	}
	check.CitizenID = v.CitizenID()
	if check.Result == app.Verified && !check.PhotoMatched && check.Method != app.MethodOnlineKPS {
		return app.FieldError("photo", "Doğrulandı demeden önce belgedeki fotoğrafı karşıdaki kişiyle karşılaştırın ve uyuştuğunu işaretleyin.")
	}
	if check.Result == app.Verified && !check.DocumentExpiry.IsZero() && check.DocumentExpiry.Before(app.Today(s.Now())) {
		return app.FieldError("result", "Belgenin geçerlilik süresi dolmuş; süresi dolmuş belgeyle kimlik doğrulanmış sayılmaz. Geçerli bir belge isteyin ya da sonucu doğrulanamadı olarak kaydedin.")
	}
	if check.MRZPassed && !strings.HasPrefix(check.Note, app.MRZNote) {
		check.Note = strings.TrimSpace(app.MRZNote + " " + check.Note)
	}
	if err := s.Store.RecordIdentityCheck(ctx, sess.Actor(), check); err != nil {
		return err
	}
	if check.Result == app.Verified {
		v.MarkVerified()
	}
	return nil
}

// RequestActivation asks the central to send the citizen the e-Belediye
// password set-up link, by SMS or e-mail to the contact on record. Only for a
// citizen whose identity was verified in this visit.
func (s *Service) RequestActivation(ctx context.Context, sess *auth.Session, v *Visit, d app.ActivationDelivery) error {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return err
	}
	if !v.Verified() {
		return app.Errorf(app.EINVALID, "Şifre işlemi için önce bu ziyarette vatandaşın kimliğini belgeyle doğrulayın.")
	}
	c, err := s.Store.CitizenByID(ctx, v.CitizenID())
	if err != nil {
		return err
	}
	switch {
	case d == app.ActivationSMS && c.Phone == "":
		return app.FieldError("delivery", "Vatandaşın kayıtlı telefonu yok; e-posta ile gönderin ya da önce telefonu ekleyin.")
	case d == app.ActivationEmail && c.Email == "":
		return app.FieldError("delivery", "Vatandaşın kayıtlı e-postası yok; SMS ile gönderin ya da önce e-postayı ekleyin.")
	case d != app.ActivationSMS && d != app.ActivationEmail:
		return app.FieldError("delivery", "Gönderim yolunu seçin: SMS ya da e-posta.")
	}
	return s.Store.RequestActivation(ctx, sess.Actor(), c.ID, d)
}

// IdentityChecks returns a citizen's checks, newest first.
func (s *Service) IdentityChecks(ctx context.Context, sess *auth.Session, citizenID string) ([]*app.IdentityCheck, error) {
	if err := auth.Require(ctx, sess, counterRoles...); err != nil {
		return nil, err
	}
	return s.Store.IdentityChecks(ctx, citizenID)
}
