package notice

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kocasinan/gise/app"
)

// Source gives the versions the central sent (the store's notice_versions
// table, which the sync worker fills).
type Source interface {
	// NoticeVersions returns every stored version, in any order.
	NoticeVersions(ctx context.Context) ([]Version, error)
}

// Catalog knows every version of the notice: the built-in ones shipped with
// the program and those that arrived from the central. It is safe for
// concurrent use.
type Catalog struct {
	builtin []Version
	src     Source
	log     *slog.Logger

	mu   sync.RWMutex
	list []Version
}

// NewCatalog returns a catalog of the built-in versions (normally version 1
// from assets, in Turkish and English) and, after Load, those of src. src may
// be nil; log may be nil.
func NewCatalog(src Source, log *slog.Logger, builtin ...Version) *Catalog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Catalog{builtin: builtin, src: src, log: log}
	c.list = append([]Version(nil), builtin...)
	return c
}

// Load rereads the versions from the source. A stored version whose text does
// not match its hash is left out and logged; a stored version replaces a
// built-in one with the same number and language only when it is valid.
// Call it at start and after each sync round that brought notices.
func (c *Catalog) Load(ctx context.Context) error {
	var stored []Version
	if c.src != nil {
		var err error
		if stored, err = c.src.NoticeVersions(ctx); err != nil {
			return fmt.Errorf("load notice versions: %w", err)
		}
	}
	list := append([]Version(nil), c.builtin...)
	for _, v := range stored {
		if err := v.Validate(); err != nil {
			c.log.Warn("notice version ignored", "version", v.Number, "language", v.Language, "err", err)
			continue
		}
		list = replaceOrAdd(list, v)
	}
	c.mu.Lock()
	c.list = list
	c.mu.Unlock()
	return nil
}

func replaceOrAdd(list []Version, v Version) []Version {
	for i, have := range list {
		if have.Number == v.Number && have.Language == v.Language {
			list[i] = v
			return list
		}
	}
	return append(list, v)
}

// Current returns the version in force on the calendar day today (as from
// app.Today) in language lang: among the versions whose EffectiveFrom is not
// after today, the highest number. The Turkish text is the reference: when
// the version in force has no translation into lang yet, Current returns
// ENOTFOUND rather than an outdated translation, and the clerk gives the
// Turkish text.
func (c *Catalog) Current(lang string, today time.Time) (Version, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	best, ref := c.inForce(lang, today), c.inForce(Turkish, today)
	switch {
	case best.Number == 0:
		return best, app.Errorf(app.ENOTFOUND, "Bu dilde yürürlükte bir aydınlatma metni yok; Türkçe metni verin ya da bilgi işlem birimine haber verin.")
	case best.Number < ref.Number:
		return Version{}, app.Errorf(app.ENOTFOUND, "Aydınlatma metninin yürürlükteki %d. sürümünün bu dilde çevirisi henüz yok; vatandaşa Türkçe metni verin.", ref.Number)
	}
	return best, nil
}

func (c *Catalog) inForce(lang string, today time.Time) Version {
	var best Version
	for _, v := range c.list {
		if v.Language == lang && !v.EffectiveFrom.After(today) && v.Number > best.Number {
			best = v
		}
	}
	return best
}

// Version returns one version by number and language, for reprints and for
// showing what an old acknowledgement referred to. ENOTFOUND when unknown.
func (c *Catalog) Version(number int, lang string) (Version, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, v := range c.list {
		if v.Number == number && v.Language == lang {
			return v, nil
		}
	}
	return Version{}, app.Errorf(app.ENOTFOUND, "Aydınlatma metninin %d. sürümü (%s) bu terminalde yok.", number, lang)
}
