package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
)

// byteOrder is the terminal's catalogue as a store that sorts with ORDER
// BY in bytes would give it: "Çevre" after "Dere", "İmar" after
// "Kaldırım". The forms must put it in Turkish order themselves.
type byteOrder struct{ app.CatalogStore }

func (b byteOrder) Categories(ctx context.Context) ([]app.Category, error) {
	cats, err := b.CatalogStore.Categories(ctx)
	slices.SortFunc(cats, func(x, y app.Category) int {
		return strings.Compare(x.Group+"\x00"+x.Name, y.Group+"\x00"+y.Name)
	})
	return cats, err
}

func (b byteOrder) Neighbourhoods(ctx context.Context) ([]app.Neighbourhood, error) {
	hoods, err := b.CatalogStore.Neighbourhoods(ctx)
	slices.SortFunc(hoods, func(x, y app.Neighbourhood) int { return strings.Compare(x.Name, y.Name) })
	return hoods, err
}

// catalogRig is a rig whose catalogue comes in byte order, with subjects
// and neighbourhoods whose Turkish order differs from their bytes' (Ç, İ)
// and from a collation that knows no Turkish (I and İ).
func catalogRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t, func(s *Services) { s.Catalog = byteOrder{s.Catalog} })
	var page app.UpdatesPage
	for i, name := range []string{"Kaldırım", "İmar", "Işıklandırma", "Dere ıslahı", "Çevre kirliliği", "Cadde temizliği"} {
		page.Updates = append(page.Updates, app.Update{Type: app.UpdateCategory, Code: "CVR-0" + string(rune('1'+i)),
			Name: name, Group: "Çevre Koruma"})
	}
	for i, name := range []string{"Kocasinan", "İnönü", "Işıklar", "Dadaloğlu", "Çarşı", "Cumhuriyet"} {
		page.Updates = append(page.Updates, app.Update{Type: app.UpdateNeighbourhood, Code: "MAH-0" + string(rune('1'+i)), Name: name})
	}
	if err := r.tm.Store.ApplyUpdates(r.ctx, page); err != nil {
		t.Fatal(err)
	}
	return r
}

// wantOrder checks that want appear in list in that order.
func wantOrder(t *testing.T, what string, list []string, want ...string) {
	t.Helper()
	var at []int
	for _, w := range want {
		at = append(at, slices.Index(list, w))
	}
	if slices.Contains(at, -1) || !slices.IsSorted(at) {
		t.Errorf("%s: %q are at %v of %q", what, want, at, list)
	}
}

// The counter's complaint form lists subjects by group and name, and the
// neighbourhoods, in Turkish order whatever the store's; the subject and
// neighbourhood chosen are the ones shown at that place.
func TestComplaintListsTheCatalogueInTurkishOrder(t *testing.T) {
	r := catalogRig(t)
	r.login(app.RoleClerk)
	r.k.complaint.begin(nil)
	s := r.k.complaint
	wantOrder(t, "categories", s.category.Options, "Çevre Koruma · Cadde temizliği", "Çevre Koruma · Çevre kirliliği",
		"Çevre Koruma · Dere ıslahı", "Çevre Koruma · Işıklandırma", "Çevre Koruma · İmar", "Çevre Koruma · Kaldırım",
		"Fen İşleri · Sokak aydınlatması", "İmar ve Şehircilik · Yapı ve ruhsat", "Zabıta · Gürültü")
	wantOrder(t, "neighbourhoods", s.hood.Options, "Cumhuriyet", "Çarşı", "Dadaloğlu", "Işıklar", "İnönü", "Kocasinan")
	s.category.SetSelected("Çevre Koruma · Işıklandırma")
	s.hood.SetSelected("İnönü")
	c, err := s.complaint()
	if err != nil || c.CategoryCode != "CVR-03" || c.NeighbourhoodCode != "MAH-02" {
		t.Errorf("chose %q and %q: category %q, neighbourhood %q (%v)", s.category.Selected, s.hood.Selected,
			c.CategoryCode, c.NeighbourhoodCode, err)
	}
}

// The self-service subject tiles are the subjects by name, in Turkish
// order whatever the store's; the tile chosen files its own subject.
func TestSelfServiceListsSubjectsInTurkishOrder(t *testing.T) {
	r := catalogRig(t)
	s := r.k.self
	r.k.show(screenSelf)
	s.reset()
	s.onStart()
	r.k.Wait()
	wantOrder(t, "subjects", s.category.options, "Cadde temizliği", "Çevre kirliliği", "Çöp toplama", "Dere ıslahı",
		"Gürültü", "Işıklandırma", "İmar", "İşyeri, seyyar satıcı, işgal", "Kaldırım", "Yol, kaldırım ve asfalt", "Diğer")
	s.category.Select(slices.Index(s.category.options, "Işıklandırma"))
	if code := s.request().CategoryCode; code != "CVR-03" {
		t.Errorf("chose %q: category %q", s.category.SelectedText(), code)
	}
}

func TestOtherComesLastInItsGroup(t *testing.T) {
	cats := []app.Category{{Group: "Fen İşleri", Name: "Çukur"}, {Group: "Fen İşleri", Name: "Diğer"},
		{Group: "Fen İşleri", Name: "Yol"}, {Group: "Zabıta", Name: "Diğer talepler"}, {Group: "Zabıta", Name: "Gürültü"}}
	byGroup := slices.Clone(cats)
	otherLast(byGroup, categoryByGroup)
	var got []string
	for _, c := range byGroup {
		got = append(got, c.Group+"/"+c.Name)
	}
	if want := "Fen İşleri/Çukur Fen İşleri/Yol Fen İşleri/Diğer Zabıta/Gürültü Zabıta/Diğer talepler"; strings.Join(got, " ") != want {
		t.Errorf("by group: %v, want %s", got, want)
	}
	byName := []app.Category{{Name: "Çöp toplama"}, {Name: "Diğer"}, {Name: "Gürültü"}}
	otherLast(byName, categoryByName)
	if byName[2].Name != "Diğer" || byName[0].Name != "Çöp toplama" || byName[1].Name != "Gürültü" {
		t.Errorf("by name: %v", byName)
	}
}
