package app

import (
	"context"
	"strings"
	"time"
)

// Channel is where a record came in.
type Channel string

// Channels of the contract. Citizens register at a counter, a self-service
// terminal or a field office; complaints may also arrive on paper.
const (
	ChannelPaper       Channel = "paper"
	ChannelCounter     Channel = "counter"
	ChannelSelfService Channel = "self_service"
	ChannelFieldOffice Channel = "field_office"
)

// Citizen is a person registered at a terminal.
type Citizen struct {
	ID              string // UUID, made on the terminal
	NationalID      NationalID
	FirstName       string // as typed, normalised by NormalizeName
	LastName        string
	BirthDate       time.Time // midnight UTC
	Phone           string    // E.164 or ""
	Email           string
	ContactDeclined bool // the citizen explicitly declined to be contacted
	Channel         Channel
	Clerk           string // username, "" at self-service
	CreatedAt       time.Time
}

// CitizenInput is a registration form as typed.
type CitizenInput struct {
	NationalID      string
	FirstName       string
	LastName        string
	BirthDate       string
	Phone           string
	Email           string
	ContactDeclined bool
}

// ParseCitizen validates and normalises a registration form. It returns the
// first problem found as an EINVALID *Error naming the field.
func ParseCitizen(in CitizenInput, now time.Time) (Citizen, error) {
	c, problems := ParseCitizenAll(in, now)
	if len(problems) > 0 {
		return c, problems[0]
	}
	return c, nil
}

// ParseCitizenAll is ParseCitizen reporting every field's problem at once,
// in the order of the form, each an EINVALID *Error naming its field, so a
// form can mark every field to fix after one press of "Kaydet".
func ParseCitizenAll(in CitizenInput, now time.Time) (Citizen, []error) {
	var c Citizen
	var problems []error
	check := func(err error) {
		if err != nil {
			problems = append(problems, err)
		}
	}
	var err error
	c.NationalID, err = ParseNationalID(in.NationalID)
	check(err)
	c.FirstName, err = NormalizeName("first_name", in.FirstName)
	check(err)
	c.LastName, err = NormalizeName("last_name", in.LastName)
	check(err)
	c.BirthDate, err = ParseBirthDate(in.BirthDate, now)
	check(err)
	c.Phone, err = NormalizePhone(in.Phone)
	check(err)
	c.Email, err = NormalizeEmail(in.Email)
	check(err)
	c.ContactDeclined = in.ContactDeclined
	if c.Phone == "" && c.Email == "" && !c.ContactDeclined && strings.TrimSpace(in.Phone+in.Email) == "" {
		check(FieldError("phone", "Telefon veya e-postadan en az birini yazın; vatandaş iletişim bilgisi vermek istemiyorsa bunu işaretleyin."))
	}
	return c, problems
}

// DisplayName returns "Ad Soyad" in Turkish title case.
func (c *Citizen) DisplayName() string { return TitleTR(c.FirstName + " " + c.LastName) }

// CitizenStore keeps citizens. Every write also queues its outbox record and
// appends its audit event in the same transaction.
type CitizenStore interface {
	// RegisterCitizen stores c (its ID and CreatedAt set when empty) and
	// queues citizen.registered. When ack is not nil, the notice given in the
	// same visit is stored for c and queued in the same transaction.
	// ECONFLICT when the national ID is already registered.
	RegisterCitizen(ctx context.Context, actor Actor, c *Citizen, ack *NoticeAck) error
	// CitizenByID returns ENOTFOUND when there is no such citizen.
	CitizenByID(ctx context.Context, id string) (*Citizen, error)
	// CitizenByNationalID returns ENOTFOUND when there is no such citizen.
	CitizenByNationalID(ctx context.Context, n NationalID) (*Citizen, error)
	// FindCitizensByName returns up to limit citizens each word of whose
	// folded names starts with a word of FoldName(prefix), words in any order
	// ("şahin ay" finds Ayşe Şahin); a page holds the first matches found,
	// sorted by name. Words of one letter alone find nothing.
	FindCitizensByName(ctx context.Context, prefix string, limit int) ([]*Citizen, error)
	// FindCitizensByPhone returns the citizens with this E.164 phone.
	FindCitizensByPhone(ctx context.Context, phone string) ([]*Citizen, error)
}

// Actor is who does a write: a clerk's username and role, or the
// self-service kiosk.
type Actor struct {
	Username string
	Role     Role
}

// SelfService is the actor of writes made by a citizen alone at a kiosk.
var SelfService = Actor{Username: "", Role: RoleKiosk}

// Name returns the audit name of the actor.
func (a Actor) Name() string {
	if a.Username == "" {
		return "kiosk"
	}
	return a.Username
}

// Role is what an actor may do.
type Role string

// Roles: admin (accounts, settings, enrolment), supervisor (conflicts,
// rejections, applications, reprints, exports), clerk (counter work), and the
// kiosk itself at self-service.
const (
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleClerk      Role = "clerk"
	RoleKiosk      Role = "kiosk"
)
