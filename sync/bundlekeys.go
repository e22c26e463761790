package sync

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"filippo.io/age"

	"github.com/kocasinan/gise/app"
)

// DeviceKeysRequest is the body of PUT /v1/device-keys: the terminal's
// public keys for USB bundles.
type DeviceKeysRequest struct {
	SignKey      string `json:"sign_key"`      // Ed25519 public key, base64 (standard, padded)
	AgeRecipient string `json:"age_recipient"` // X25519 age recipient, "age1…"
}

// CentralKeys is the answer: the central's public keys for USB bundles.
type CentralKeys struct {
	DeviceID     string `json:"device_id"`
	SignKey      string `json:"sign_key"`      // receipts are signed with it
	AgeRecipient string `json:"age_recipient"` // bundles are encrypted to it
}

// RegisterDeviceKeys sends the device's public keys and returns the
// central's. It needs the device's token, like every /v1 call.
func (c *Client) RegisterDeviceKeys(ctx context.Context, req DeviceKeysRequest) (CentralKeys, error) {
	var out CentralKeys
	body, err := json.Marshal(req)
	if err != nil {
		return out, err
	}
	r, err := c.rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").SetBody(body).Put("/v1/device-keys")
	if err != nil {
		return out, err
	}
	if r.StatusCode() != http.StatusOK {
		return out, apiError(r)
	}
	if err := json.Unmarshal(r.Body(), &out); err != nil {
		return out, fmt.Errorf("device keys answer: %w", err)
	}
	return out, nil
}

// RegisterBundleKeys registers the terminal's device keys, derived from
// terminal key keyID, with the central of s, and saves the central's keys
// beside the enrolment: what `gise enrol` and the admin screen do once the
// enrolment is saved. A central that does not answer leaves USB transfer
// off until the next enrolment.
func RegisterBundleKeys(ctx context.Context, s Settings, store app.BundleStore, src DeviceKeySource, keyID byte, actor app.Actor) error {
	dk, err := src.DeviceKeys(keyID)
	if err != nil {
		return err
	}
	c, err := NewClient(s, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	ck, err := c.RegisterDeviceKeys(ctx, DeviceKeysRequest{SignKey: base64.StdEncoding.EncodeToString(dk.SignPublic()),
		AgeRecipient: dk.Recipient().String()})
	if err != nil {
		return fmt.Errorf("register device keys: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(ck.SignKey)
	if err != nil || len(sig) != 32 {
		return fmt.Errorf("register device keys: the central's signing key is not 32 bytes of base64")
	}
	if _, err := age.ParseX25519Recipient(ck.AgeRecipient); err != nil {
		return fmt.Errorf("register device keys: the central's recipient: %w", err)
	}
	return store.SaveBundleKeys(ctx, actor, app.BundleKeys{DeviceID: s.DeviceID, CentralURL: s.BaseURL, KeyID: keyID,
		CentralSig: sig, CentralAge: ck.AgeRecipient})
}
