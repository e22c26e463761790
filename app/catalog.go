package app

import "context"

// Category is a subject a complaint or request is filed under, as the
// central publishes them.
type Category struct {
	Code   string
	Name   string
	Group  string
	Active bool
}

// Neighbourhood is a mahalle, as the central publishes them.
type Neighbourhood struct {
	Code   string
	Name   string
	Active bool
}

// CatalogStore reads what the central published for forms.
type CatalogStore interface {
	// Categories returns the active categories, by group and name.
	Categories(ctx context.Context) ([]Category, error)
	// Neighbourhoods returns the active neighbourhoods, by name.
	Neighbourhoods(ctx context.Context) ([]Neighbourhood, error)
}
