package counter

import (
	"context"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/notice"
)

// SelfServiceRequest is what a citizen fills in alone at a kiosk. Contact
// details are optional there: a citizen who leaves both phone and e-mail
// empty has chosen not to be contacted.
type SelfServiceRequest struct {
	Citizen      app.CitizenInput
	Kind         app.Kind
	CategoryCode string
	Description  string
}

// SelfServiceGroup is one screen of questions of the self-service flow; the
// kiosk asks them one group at a time and checks each on "Devam et".
type SelfServiceGroup int

// The question groups, in the order the kiosk asks them.
const (
	GroupNationalID SelfServiceGroup = iota
	GroupName
	GroupBirthDate
	GroupContact
	GroupSubject
	GroupDescription
)

// SelfServiceGroups lists every group in order.
var SelfServiceGroups = []SelfServiceGroup{GroupNationalID, GroupName, GroupBirthDate, GroupContact, GroupSubject, GroupDescription}

// Check validates one group of the request and returns its problems, each
// an EINVALID *app.Error naming its field, in the words of a citizen alone
// at a screen: what to do, not what went wrong. Nil means the group is fine.
func (r SelfServiceRequest) Check(g SelfServiceGroup, now time.Time) []error {
	in := r.Citizen
	switch g {
	case GroupNationalID:
		return one(checkNationalID(in.NationalID))
	case GroupName:
		return some(checkName("first_name", in.FirstName, "Adınızı girin."),
			checkName("last_name", in.LastName, "Soyadınızı girin."))
	case GroupBirthDate:
		return one(checkBirthDate(in.BirthDate, now))
	case GroupContact:
		var errs []error
		if _, err := app.NormalizePhone(in.Phone); err != nil {
			errs = append(errs, app.FieldError("phone", "Telefonu alan koduyla yazın; örneğin 0532 123 45 67."))
		}
		if _, err := app.NormalizeEmail(in.Email); err != nil {
			errs = append(errs, app.FieldError("email", "E-postayı ad@ornek.com gibi yazın."))
		}
		return errs
	case GroupSubject:
		var errs []error
		if r.Kind == "" {
			errs = append(errs, app.FieldError("kind", "Başvurunuzun türünü seçin."))
		}
		if r.CategoryCode == "" {
			errs = append(errs, app.FieldError("category_code", "Başvurunuzun konusunu seçin."))
		}
		return errs
	case GroupDescription:
		return one(checkDescription(r.Description))
	}
	return nil
}

func checkNationalID(s string) error {
	if strings.TrimSpace(s) == "" {
		return app.FieldError("national_id", "T.C. Kimlik Numaranızı girin; 11 hanelidir.")
	}
	_, err := app.ParseNationalID(s)
	return err
}

func checkName(field, s, empty string) error {
	if strings.TrimSpace(s) == "" {
		return app.FieldError(field, empty)
	}
	_, err := app.NormalizeName(field, s)
	return err
}

func checkBirthDate(s string, now time.Time) error {
	if strings.TrimSpace(s) == "" {
		return app.FieldError("birth_date", "Doğum tarihinizi gün.ay.yıl olarak girin; örneğin 27.3.1985.")
	}
	_, err := app.ParseBirthDate(s, now)
	return err
}

func checkDescription(s string) error {
	n := len([]rune(strings.TrimSpace(s)))
	switch {
	case n == 0:
		return app.FieldError("description", "Başvurunuzu birkaç cümleyle yazın.")
	case n > app.MaxDescription:
		return app.FieldError("description", "Açıklama en fazla 4000 karakter olabilir; metni kısaltın.")
	}
	return nil
}

// one is err as a list of problems, empty for nil.
func one(err error) []error {
	if err == nil {
		return nil
	}
	return []error{err}
}

// some is the errors that are not nil.
func some(errs ...error) []error {
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// SelfServiceFiling is what a filing at the kiosk produced: the request with
// its tracking code, and the applicant as the citizen typed them (name and
// national ID, for the receipt; never another record's data).
type SelfServiceFiling struct {
	Complaint *app.Complaint
	Applicant *app.Citizen
}

// FileSelfService registers the citizen (or finds them by national ID) and
// files their request, after the notice was shown on screen in this visit.
// The visit must come from StartKioskVisit. It never returns another
// citizen's data: a known national ID is only used to link the request.
func (s *Service) FileSelfService(ctx context.Context, v *notice.Visit, req SelfServiceRequest) (*SelfServiceFiling, error) {
	in := req.Citizen
	in.ContactDeclined = strings.TrimSpace(in.Phone) == "" && strings.TrimSpace(in.Email) == ""
	c, err := app.ParseCitizen(in, s.Now())
	if err != nil {
		return nil, err
	}
	if !v.NoticeGiven() {
		return nil, app.Errorf(app.EINVALID, "Devam etmeden önce aydınlatma metnini okuyup onaylayın.")
	}
	citizenID, err := s.selfServiceCitizen(ctx, v, &c)
	if err != nil {
		return nil, err
	}
	k := &app.Complaint{CitizenID: citizenID, Kind: req.Kind, CategoryCode: req.CategoryCode,
		Description: req.Description, Channel: app.ChannelSelfService}
	if err := s.Store.FileComplaint(ctx, app.SelfService, k); err != nil {
		return nil, err
	}
	return &SelfServiceFiling{Complaint: k, Applicant: &c}, nil
}

// selfServiceCitizen links the request to the citizen with the typed
// national ID, or registers the citizen as typed, and returns their ID.
func (s *Service) selfServiceCitizen(ctx context.Context, v *notice.Visit, c *app.Citizen) (string, error) {
	existing, err := s.Store.CitizenByNationalID(ctx, c.NationalID)
	if err != nil {
		c.Channel = app.ChannelSelfService
		if err := v.Register(ctx, c); err != nil {
			return "", err
		}
		return c.ID, nil
	}
	// A known number links the request only when the person typed the same
	// name and birth date: otherwise anyone could file in another's name.
	// Nothing of the stored record is shown either way.
	if !samePerson(existing, c) {
		return "", app.Errorf(app.EINVALID, "Bu bilgilerle başvuru alınamadı. Lütfen \"Görevli çağır\" düğmesine basın; bir görevli yardımcı olacak.")
	}
	if err := v.End(ctx); err != nil { // the notice proof is kept, as given at the kiosk
		return "", err
	}
	return existing.ID, nil
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
