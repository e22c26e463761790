// Package apptest holds small helpers for other packages' tests: valid
// domain values made from a seed.
package apptest

// NationalID returns a checksum-valid TC Kimlik No made from n: distinct
// seeds below a billion give distinct numbers.
func NationalID(n int) string {
	d := make([]int, 11)
	d[0] = 1 + n%9
	x := n
	for i := 1; i < 9; i++ {
		d[i] = x % 10
		x /= 10
	}
	odd := d[0] + d[2] + d[4] + d[6] + d[8]
	even := d[1] + d[3] + d[5] + d[7]
	d[9] = ((7*odd-even)%10 + 10) % 10
	d[10] = (odd + even + d[9]) % 10
	b := make([]byte, 11)
	for i, v := range d {
		b[i] = byte('0' + v)
	}
	return string(b)
}
