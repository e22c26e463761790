package keys

import (
	"crypto/ed25519"
	"fmt"
	"strings"

	"filippo.io/age"
)

// Labels of the device keys, derived with Subkey (see DeviceKeys).
const (
	deviceSignLabel = "gise device ed25519 v1"
	deviceAgeLabel  = "gise device x25519 v1"
)

// DeviceKeys are the terminal's keys for USB bundles: Sign signs the
// bundles it exports (the central holds Sign's public half from the
// enrolment), and Receipts opens the receipts the central encrypts to it.
type DeviceKeys struct {
	KeyID    byte // the terminal key they derive from
	Sign     ed25519.PrivateKey
	Receipts *age.X25519Identity
}

// SignPublic returns the public half of Sign.
func (d DeviceKeys) SignPublic() ed25519.PublicKey { return d.Sign.Public().(ed25519.PublicKey) }

// Recipient returns the age recipient receipts are encrypted to.
func (d DeviceKeys) Recipient() *age.X25519Recipient { return d.Receipts.Recipient() }

// DeviceKeys derives the device keys from terminal key id (HKDF through
// Subkey, one label each), so that the terminal key stays the only secret
// on the disk: its backup and restore carry the device keys too, and
// nothing new needs a file mode or a place. The enrolment records which
// id it registered; a rotation keeps the old key in the ring, so the
// registered keys stay until the terminal is enrolled again.
func (s *Sealer) DeviceKeys(id byte) (DeviceKeys, error) {
	seed, err := s.Subkey(id, deviceSignLabel)
	if err != nil {
		return DeviceKeys{}, err
	}
	scalar, err := s.Subkey(id, deviceAgeLabel)
	if err != nil {
		return DeviceKeys{}, err
	}
	ident, err := age.ParseX25519Identity(strings.ToUpper(bech32Encode("age-secret-key-", scalar)))
	if err != nil {
		return DeviceKeys{}, fmt.Errorf("device keys: %w", err)
	}
	return DeviceKeys{KeyID: id, Sign: ed25519.NewKeyFromSeed(seed), Receipts: ident}, nil
}

// bech32Encode is BIP 173's encoding of data under the human-readable part
// hrp (lowercase): what age's identities are written in, and the only way
// its API takes an X25519 scalar.
func bech32Encode(hrp string, data []byte) string {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	var values []byte
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		for bits += 8; bits >= 5; bits -= 5 {
			values = append(values, byte(acc>>(bits-5)&31))
		}
	}
	if bits > 0 {
		values = append(values, byte(acc<<(5-bits)&31))
	}
	check := bech32Checksum(hrp, values)
	var out strings.Builder
	out.WriteString(hrp + "1")
	for _, v := range append(values, check...) {
		out.WriteByte(charset[v])
	}
	return out.String()
}

func bech32Checksum(hrp string, values []byte) []byte {
	var in []byte
	for _, c := range []byte(hrp) {
		in = append(in, c>>5)
	}
	in = append(in, 0)
	for _, c := range []byte(hrp) {
		in = append(in, c&31)
	}
	in = append(append(in, values...), 0, 0, 0, 0, 0, 0)
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range in {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if top>>i&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	chk ^= 1
	out := make([]byte, 6)
	for i := range out {
		out[i] = byte(chk >> (5 * (5 - i)) & 31)
	}
	return out
}
