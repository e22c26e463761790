package counter_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/counter"
)

func TestSelfServiceCheckSpeaksToTheCitizen(t *testing.T) {
	empty := counter.SelfServiceRequest{}
	for _, tc := range []struct {
		group  counter.SelfServiceGroup
		fields []string
		words  string
	}{
		{counter.GroupNationalID, []string{"national_id"}, "Kimlik Numaranızı girin"},
		{counter.GroupName, []string{"first_name", "last_name"}, "Adınızı"},
		{counter.GroupBirthDate, []string{"birth_date"}, "Doğum tarihinizi"},
		{counter.GroupContact, nil, ""}, // optional
		{counter.GroupSubject, []string{"kind", "category_code"}, "türünü seçin"},
		{counter.GroupDescription, []string{"description"}, "yazın"},
	} {
		errs := empty.Check(tc.group, start)
		if len(errs) != len(tc.fields) {
			t.Errorf("group %d: %v", tc.group, errs)
			continue
		}
		for i, err := range errs {
			if app.ErrorField(err) != tc.fields[i] || app.ErrorCode(err) != app.EINVALID {
				t.Errorf("group %d: error %d is %v", tc.group, i, err)
			}
		}
		if tc.words != "" && !strings.Contains(app.ErrorMessage(errs[0]), tc.words) {
			t.Errorf("group %d: %q does not say %q", tc.group, app.ErrorMessage(errs[0]), tc.words)
		}
	}
	bad := counter.SelfServiceRequest{Citizen: app.CitizenInput{NationalID: "12345678901", Phone: "12", BirthDate: "31.02.1990"}}
	if errs := bad.Check(counter.GroupNationalID, start); len(errs) != 1 || !strings.Contains(app.ErrorMessage(errs[0]), "kontrol") {
		t.Errorf("bad checksum: %v", errs)
	}
	if errs := bad.Check(counter.GroupContact, start); len(errs) != 1 || app.ErrorField(errs[0]) != "phone" {
		t.Errorf("bad phone: %v", errs)
	}
	if errs := bad.Check(counter.GroupBirthDate, start); len(errs) != 1 {
		t.Errorf("31 February: %v", errs)
	}
}

func TestSelfServiceWithoutContactNamesTheApplicant(t *testing.T) {
	_, svc := setup(t)
	ctx := context.Background()
	v := svc.StartKioskVisit()
	giveNotice(t, &counter.Visit{Visit: v})
	in := ayse
	in.Phone = ""
	f, err := svc.FileSelfService(ctx, v, counter.SelfServiceRequest{Citizen: in, Kind: app.KindComplaint,
		CategoryCode: "TEM-01", Description: "Çöp alınmadı"})
	if err != nil {
		t.Fatalf("a citizen may leave contact details out at the kiosk: %v", err)
	}
	if f.Applicant.DisplayName() != "Ayşe Öztürk" || f.Applicant.NationalID != "10000000146" || !f.Applicant.ContactDeclined {
		t.Errorf("applicant %+v", f.Applicant)
	}
	if f.Complaint.CitizenID == "" || f.Complaint.Anonymous {
		t.Errorf("the request is not linked to its applicant: %+v", f.Complaint)
	}
}
