package counter

import (
	"context"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/notice"
)

// SelfServiceRequest is what a citizen fills in alone at a kiosk.
type SelfServiceRequest struct {
	Citizen      app.CitizenInput
	Kind         app.Kind
	CategoryCode string
	Description  string
}

// FileSelfService registers the citizen (or finds them by national ID) and
// files their request, after the notice was shown on screen in this visit.
// The visit must come from StartKioskVisit. It never returns another
// citizen's data: a known national ID is only used to link the request.
func (s *Service) FileSelfService(ctx context.Context, v *notice.Visit, req SelfServiceRequest) (*app.Complaint, error) {
	c, err := app.ParseCitizen(req.Citizen, s.Now())
	if err != nil {
		return nil, err
	}
	if !v.NoticeGiven() {
		return nil, app.Errorf(app.EINVALID, "Devam etmeden önce aydınlatma metnini okuyup onaylayın.")
	}
	citizenID := ""
	if existing, err := s.Store.CitizenByNationalID(ctx, c.NationalID); err == nil {
		// A known number links the request only when the person typed the
		// same name and birth date: otherwise anyone could file in another's
		// name. Nothing of the stored record is shown either way.
		if !samePerson(existing, &c) {
			return nil, app.Errorf(app.EINVALID, "Bu bilgilerle başvuru alınamadı. Lütfen \"Görevli çağır\" düğmesine basın; bir görevli yardımcı olacak.")
		}
		citizenID = existing.ID
		if err := v.End(ctx); err != nil { // the notice proof is kept, as given at the kiosk
			return nil, err
		}
	} else {
		c.Channel = app.ChannelSelfService
		if err := v.Register(ctx, &c); err != nil {
			return nil, err
		}
		citizenID = c.ID
	}
	k := &app.Complaint{CitizenID: citizenID, Kind: req.Kind, CategoryCode: req.CategoryCode,
		Description: req.Description, Channel: app.ChannelSelfService}
	if err := s.Store.FileComplaint(ctx, app.SelfService, k); err != nil {
		return nil, err
	}
	return k, nil
}

// StartKioskVisit begins a self-service visit; the kiosk is its actor.
func (s *Service) StartKioskVisit() *notice.Visit {
	return notice.NewVisit(s.Store, app.SelfService, "")
}

// samePerson compares what was typed with a stored citizen the way identity
// documents print names: Turkish upper case, folded white space.
func samePerson(stored, typed *app.Citizen) bool {
	return app.FoldName(stored.FirstName) == app.FoldName(typed.FirstName) &&
		app.FoldName(stored.LastName) == app.FoldName(typed.LastName) &&
		stored.BirthDate.Equal(typed.BirthDate)
}
