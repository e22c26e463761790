package keys

import "fmt"

// Subkey returns a 32-byte key for one purpose, derived from key id of the
// ring: HKDF-SHA-256 with label as its info, over the key's blind-index
// subkey (itself HKDF of the terminal key, see newSealer), so that the
// terminal key is still the only secret and no use sees it or another use's
// key. The same id and label give the same key for as long as the key
// file holds that key; a label names one purpose and its version, e.g.
// "gise audit mac v1". An id the ring lacks is an error wrapping ErrOpen.
func (s *Sealer) Subkey(id byte, label string) ([]byte, error) {
	k, ok := s.subs[id]
	if !ok {
		return nil, fmt.Errorf("subkey %q: %w (key %d missing)", label, ErrOpen, id)
	}
	if label == "" {
		return nil, fmt.Errorf("subkey: a label is required")
	}
	return derive(k.index, label)
}
