package assets

import (
	"strings"
	"testing"
)

// TestIsCommonPasswordMatchesWholeLines holds the in-place search to a set
// built from the list: every line is common, in any case, and a line with a
// character added or removed at either end is common only when the set says
// so (many such variants are lines of their own; checked for every tenth
// line).
func TestIsCommonPasswordMatchesWholeLines(t *testing.T) {
	// The search relies on the file's form: lower case, one password a
	// line, every line (the last too) ending in a bare "\n".
	if !strings.HasSuffix(commonPasswords, "\n") || strings.ContainsAny(commonPasswords, "\r\t ") {
		t.Fatal("common-passwords.txt must be LF-terminated lines without spaces or CR")
	}
	lines := strings.Split(strings.TrimSuffix(commonPasswords, "\n"), "\n")
	if len(lines) != 30000 {
		t.Fatalf("%d lines, want zxcvbn's 30,000", len(lines))
	}
	set := make(map[string]bool, len(lines))
	for i, l := range lines {
		if l == "" || l != strings.ToLower(l) || set[l] {
			t.Fatalf("line %d (%q) is empty, not lower case or a repeat", i+1, l)
		}
		set[l] = true
	}
	check := func(p string) {
		t.Helper()
		if got, want := IsCommonPassword(p), set[strings.ToLower(p)]; got != want {
			t.Fatalf("IsCommonPassword(%q) = %v, want %v", p, got, want)
		}
	}
	for i, l := range lines {
		check(l)
		if i%10 != 0 {
			continue // each check reads up to the whole list: a tenth of the lines for the variants
		}
		check(strings.ToUpper(l))
		check(l + "x")
		check("x" + l)
		check(l[1:])
		check(l[:len(l)-1])
	}
	for _, p := range []string{"", "\n", "123456\npassword", "password\n", "\npassword", "password\r"} {
		if IsCommonPassword(p) {
			t.Errorf("IsCommonPassword(%q) = true: a line break must never join two lines into a match", p)
		}
	}
	if !IsCommonPassword(lines[0]) || !IsCommonPassword(lines[len(lines)-1]) {
		t.Error("the first or the last line is not found")
	}
}

// BenchmarkIsCommonPassword is a miss, the case a good new password takes:
// the whole list is read.
func BenchmarkIsCommonPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if IsCommonPassword("Kayseri-Kocasinan-2026") {
			b.Fatal("found")
		}
	}
}
