package bundle

import (
	"errors"

	"github.com/kocasinan/gise/app"
)

// Refusal codes: stable strings for programs and docs/BUNDLE.md. Reading
// refuses with the first eight; the central and the terminal add the rest
// for what only they can know.
const (
	CodeNotBundle    = "not_a_bundle"     // not an age file
	CodeRecipient    = "wrong_recipient"  // encrypted to another key: another central or another terminal
	CodeDamaged      = "damaged"          // changed or truncated: decryption or the archive failed
	CodeTooLarge     = "too_large"        // the file is over the limit
	CodeManifest     = "bad_manifest"     // the manifest is missing, not first, malformed or invalid
	CodeSignature    = "bad_signature"    // the signature does not verify under the signer's key
	CodePath         = "path_outside"     // an entry name leads outside the bundle
	CodeEntry        = "unexpected_entry" // an entry the manifest does not list, out of order, not a file, or one missing
	CodePartTooLarge = "part_too_large"   // an entry over its stated size or its kind's limit
	CodePartHash     = "part_mismatch"    // an entry's bytes do not hash to the stated SHA-256
	CodeUnknown      = "unknown_device"   // no such device, or it registered no bundle key
	CodeRevoked      = "device_revoked"   // the device was revoked
	CodeReplayed     = "replayed"         // this bundle was imported before
	CodeAuditChain   = "audit_discontinuous"
	CodeRecords      = "bad_records"     // the records part is not what the manifest says
	CodeWrongKind    = "wrong_kind"      // a receipt where a bundle is expected, or the reverse
	CodeOtherDevice  = "other_device"    // a receipt for another terminal
	CodeApplied      = "already_applied" // a receipt this terminal has applied
	CodeNotExported  = "unknown_bundle"  // a receipt for a bundle this terminal did not export
	CodeNoKeys       = "not_registered"  // the terminal has no bundle keys from its central yet
)

// sentences are the Turkish messages of the refusals: what happened and
// what to do.
var sentences = map[string]*app.Error{
	CodeNotBundle:    app.Errorf(app.EINVALID, "Bu dosya bir Gişe aktarım dosyası değil."),
	CodeRecipient:    app.Errorf(app.EINVALID, "Bu dosya başka bir alıcı için şifrelenmiş; burada açılamaz. Dosyanın doğru yere getirildiğini denetleyin."),
	CodeDamaged:      app.Errorf(app.EINVALID, "Dosya değiştirilmiş ya da eksik kopyalanmış; hiçbir şey kaydedilmedi. Dosyayı terminalden yeniden aktarın."),
	CodeTooLarge:     app.Errorf(app.EINVALID, "Dosya izin verilen boyuttan büyük; hiçbir şey kaydedilmedi."),
	CodeManifest:     app.Errorf(app.EINVALID, "Dosyanın içerik listesi okunamadı; hiçbir şey kaydedilmedi. Dosyayı terminalden yeniden aktarın."),
	CodeSignature:    app.Errorf(app.EINVALID, "Dosyanın imzası doğrulanamadı; dosya değiştirilmiş olabilir. Hiçbir şey kaydedilmedi."),
	CodePath:         app.Errorf(app.EINVALID, "Dosyada aktarım klasörünün dışını gösteren bir yol var; hiçbir şey kaydedilmedi."),
	CodeEntry:        app.Errorf(app.EINVALID, "Dosyada içerik listesinde olmayan ya da eksik bir parça var; hiçbir şey kaydedilmedi."),
	CodePartTooLarge: app.Errorf(app.EINVALID, "Dosyadaki bir parça bildirilen boyuttan büyük; hiçbir şey kaydedilmedi."),
	CodePartHash:     app.Errorf(app.EINVALID, "Dosyadaki bir parça içerik listesiyle uyuşmuyor; dosya değiştirilmiş. Hiçbir şey kaydedilmedi."),
	CodeUnknown:      app.Errorf(app.EINVALID, "Dosya merkezin tanımadığı bir terminalden geliyor; hiçbir şey kaydedilmedi. Terminal merkeze kaydedilmeli."),
	CodeRevoked:      app.Errorf(app.EINVALID, "Dosya yetkisi kaldırılmış bir terminalden geliyor; hiçbir şey kaydedilmedi."),
	CodeReplayed:     app.Errorf(app.EINVALID, "Bu dosya daha önce içe aktarıldı; ikinci kez kaydedilmedi."),
	CodeAuditChain:   app.Errorf(app.EINVALID, "Dosyadaki denetim kayıtları birbirini izlemiyor; hiçbir şey kaydedilmedi. Terminalde gise audit verify çalıştırın."),
	CodeRecords:      app.Errorf(app.EINVALID, "Dosyadaki kayıtlar içerik listesiyle uyuşmuyor; hiçbir şey kaydedilmedi."),
	CodeWrongKind:    app.Errorf(app.EINVALID, "Bu dosya burada kullanılacak türde değil: terminalden gelen dosya merkezde, merkezin yanıtı terminalde açılır."),
	CodeOtherDevice:  app.Errorf(app.EINVALID, "Bu dosya bu terminal için değil: başka bir terminalin yanıtı ya da merkeze götürülecek bir aktarım dosyası. Uygulanmadı."),
	CodeApplied:      app.Errorf(app.EINVALID, "Bu yanıt dosyası bu terminalde daha önce uygulandı; yeniden uygulanmadı."),
	CodeNotExported:  app.Errorf(app.EINVALID, "Bu yanıt, bu terminalin aktarmadığı bir dosyaya ait; uygulanmadı."),
	CodeNoKeys:       app.Errorf(app.EINVALID, "Bu terminal USB aktarımı için merkeze tanıtılmadı. Ağ varken gise enrol ile terminali yeniden kaydedin."),
}

// Refusal is why a bundle or a receipt was not taken. Code is one of the
// Code… constants; the Turkish sentence is its wrapped *app.Error;
// Detail is an English line for logs and problem documents, with no
// personal data.
type Refusal struct {
	Code   string
	Detail string
	msg    *app.Error
}

// Error implements error.
func (r *Refusal) Error() string { return "bundle refused (" + r.Code + "): " + r.Detail }

// Unwrap returns the Turkish *app.Error, so that app.ErrorMessage finds it.
func (r *Refusal) Unwrap() error { return r.msg }

// Message returns the Turkish sentence for people.
func (r *Refusal) Message() string { return r.msg.Message }

// Refuse returns a Refusal with code and an English detail.
func Refuse(code, detail string) *Refusal {
	msg, ok := sentences[code]
	if !ok {
		msg = sentences[CodeDamaged]
	}
	return &Refusal{Code: code, Detail: detail, msg: msg}
}

func refuse(code, detail string) error { return Refuse(code, detail) }

// RefusalCode returns the code of the Refusal in err's chain, or "".
func RefusalCode(err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}
