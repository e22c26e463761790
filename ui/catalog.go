package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/kocasinan/gise/app"
)

// catalog is the catalogue a form chooses from: the subjects (categories)
// and the neighbourhoods the central published. It loads them off the UI
// goroutine and puts them in Turkish alphabetical order (ç after c, ı
// before i, İ with i), whatever order the store keeps, so that a clerk or
// a citizen finds a subject where a Turkish reader looks for it. The
// counter's complaint form and the self-service subject question each
// choose from one; a form shows its labels and takes the item at the index
// chosen.
type catalog struct {
	h     host
	store app.CatalogStore
	// parts are what a category is shown by: its label joins them, and
	// the categories are sorted by them, the first first.
	parts func(app.Category) []string
	cats  []app.Category
	hoods []app.Neighbourhood
}

// newCatalog reads store through h; parts is how a category is shown
// (categoryByGroup or categoryByName).
func newCatalog(h host, store app.CatalogStore, parts func(app.Category) []string) *catalog {
	return &catalog{h: h, store: store, parts: parts}
}

// categoryByGroup shows a category under its group, "Fen İşleri · Sokak
// aydınlatması", as the counter's list does.
func categoryByGroup(c app.Category) []string { return []string{c.Group, c.Name} }

// categoryByName shows a category by its name alone, as a self-service
// tile does.
func categoryByName(c app.Category) []string { return []string{c.Name} }

// otherLast moves the catch-all subjects ("Diğer", "Diğer talepler") to
// the end of their group (of the whole list when shown by name alone),
// where a reader who found nothing else looks for them; the rest keep
// their order. cats are sorted by parts.
func otherLast(cats []app.Category, parts func(app.Category) []string) {
	other := func(c app.Category) bool {
		n := app.LowerTR(strings.TrimSpace(c.Name))
		return n == "diğer" || strings.HasPrefix(n, "diğer ")
	}
	group := func(c app.Category) string {
		p := parts(c)
		return strings.Join(p[:len(p)-1], "\x00")
	}
	for i := 0; i < len(cats); {
		j := i + 1
		for j < len(cats) && group(cats[j]) == group(cats[i]) {
			j++
		}
		run := cats[i:j]
		slices.SortStableFunc(run, func(a, b app.Category) int {
			switch oa, ob := other(a), other(b); {
			case oa && !ob:
				return 1
			case ob && !oa:
				return -1
			}
			return 0
		})
		i = j
	}
}

// load reads the categories and the neighbourhoods, then calls done on
// the UI goroutine; after a failure the lists are as they were.
func (c *catalog) load(done func(error)) { c.fetch(true, done) }

// loadCategories reads the categories alone, as load does.
func (c *catalog) loadCategories(done func(error)) { c.fetch(false, done) }

func (c *catalog) fetch(withHoods bool, done func(error)) {
	store, parts := c.store, c.parts
	var cats []app.Category
	var hoods []app.Neighbourhood
	c.h.run(func(ctx context.Context) (err error) {
		if cats, err = store.Categories(ctx); err != nil {
			return err
		}
		cats = slices.Clone(cats) // sorted here, not in the store's hands
		app.SortTR(cats, parts)
		otherLast(cats, parts)
		if !withHoods {
			return nil
		}
		if hoods, err = store.Neighbourhoods(ctx); err != nil {
			return err
		}
		hoods = slices.Clone(hoods)
		app.SortTR(hoods, func(n app.Neighbourhood) []string { return []string{n.Name} })
		return nil
	}, func(err error) {
		if err == nil {
			c.cats = cats
			if withHoods {
				c.hoods = hoods
			}
		}
		done(err)
	})
}

// categories are the categories in the labels' order.
func (c *catalog) categories() []app.Category { return c.cats }

// categoryLabels are the categories as the form lists them, in order.
func (c *catalog) categoryLabels() []string {
	out := make([]string, len(c.cats))
	for i, cat := range c.cats {
		out[i] = strings.Join(c.parts(cat), " · ")
	}
	return out
}

// hoodLabels are the neighbourhoods' names, in order.
func (c *catalog) hoodLabels() []string {
	out := make([]string, len(c.hoods))
	for i, h := range c.hoods {
		out[i] = h.Name
	}
	return out
}

// category is the category at index i of the labels; false when none is.
func (c *catalog) category(i int) (app.Category, bool) {
	if i < 0 || i >= len(c.cats) {
		return app.Category{}, false
	}
	return c.cats[i], true
}

// hood is the neighbourhood at index i of the labels; false when none is.
func (c *catalog) hood(i int) (app.Neighbourhood, bool) {
	if i < 0 || i >= len(c.hoods) {
		return app.Neighbourhood{}, false
	}
	return c.hoods[i], true
}
