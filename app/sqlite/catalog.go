package sqlite

import (
	"context"
	"fmt"

	"github.com/kocasinan/gise/app"
)

var _ app.CatalogStore = (*Store)(nil)

// Categories implements app.CatalogStore, in Turkish order of group and
// name (SQLite's ORDER BY compares bytes).
func (s *Store) Categories(ctx context.Context) ([]app.Category, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT code, name, grp FROM categories WHERE active = 1`)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	var out []app.Category
	for rows.Next() {
		c := app.Category{Active: true}
		if err := rows.Scan(&c.Code, &c.Name, &c.Group); err != nil {
			return nil, fmt.Errorf("categories: %w", err)
		}
		out = append(out, c)
	}
	app.SortTR(out, func(c app.Category) []string { return []string{c.Group, c.Name} })
	return out, rows.Err()
}

// Neighbourhoods implements app.CatalogStore, in Turkish order of name.
func (s *Store) Neighbourhoods(ctx context.Context) ([]app.Neighbourhood, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT code, name FROM neighbourhoods WHERE active = 1`)
	if err != nil {
		return nil, fmt.Errorf("neighbourhoods: %w", err)
	}
	defer rows.Close()
	var out []app.Neighbourhood
	for rows.Next() {
		n := app.Neighbourhood{Active: true}
		if err := rows.Scan(&n.Code, &n.Name); err != nil {
			return nil, fmt.Errorf("neighbourhoods: %w", err)
		}
		out = append(out, n)
	}
	app.SortTR(out, func(n app.Neighbourhood) []string { return []string{n.Name} })
	return out, rows.Err()
}
