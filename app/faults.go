package app

// Error codes of the terminal's own faults: its key, its database file and
// its disk. Each stops the work rather than let it fail action by action
// behind the generic sentence, and each message says what to do.
const (
	EKEY     = "key"      // the terminal key is missing, unreadable or does not open the database
	EDAMAGED = "damaged"  // the database file fails SQLite's integrity check
	ENOSPACE = "no_space" // the disk holding the data directory is full
)

// Messages of those faults, for people. The commands in them are the
// recovery: docs/KVKK.md ("Yedekleme ve geri yükleme") gives the routine.
const (
	// MsgKeyMissing: a database exists beside no key; a new key would seal
	// new records that the real key could never open.
	MsgKeyMissing = "Terminal anahtarı bulunamadı, ama veri klasöründe kayıtlı bir veritabanı var. Yeni bir " +
		"anahtar oluşturulmadı: kayıtlar yalnızca kendi anahtarıyla açılır. Anahtarı yedekten geri yükleyin " +
		"(gise key restore --from ANAHTAR-YEDEĞİ ya da gise restore --from YEDEK-KLASÖRÜ), sonra programı " +
		"yeniden başlatın. Yedek yoksa bilgi işlem birimine haber verin; veritabanını silmeyin."
	// MsgKeyWrong: the key file opens none of the database's sealed values.
	MsgKeyWrong = "Terminal anahtarı bu veritabanının kayıtlarını açmıyor: anahtar dosyası başka bir " +
		"terminale ya da eski bir kuruluma ait. Bu terminalin anahtarını yedekten geri yükleyin " +
		"(gise key restore --from ANAHTAR-YEDEĞİ), sonra programı yeniden başlatın; sürerse bilgi işlem " +
		"birimine haber verin."
	// MsgKeyUnreadable: the key file is there but cannot be used as it is.
	MsgKeyUnreadable = "Terminal anahtarı dosyası okunamadı ya da izinleri fazla açık. Dosyanın yalnızca " +
		"sahibince okunabildiğini denetleyin (chmod 600) ya da anahtarı yedekten geri yükleyin " +
		"(gise key restore --from ANAHTAR-YEDEĞİ); ayrıntı için gise doctor çalıştırın."
	// MsgDamaged: the database file fails its integrity check.
	MsgDamaged = "Veritabanı dosyası bozuk (SQLite bütünlük denetimi başarısız). Program kayıt yazmadan " +
		"durduruldu. Son yedeği geri yükleyin: gise restore --from YEDEK-KLASÖRÜ (yedekler gise backup " +
		"ile alınır); bozuk dosya silinmez, yanına ayrılır. Ayrıntı için gise doctor çalıştırın ve bilgi " +
		"işlem birimine haber verin."
	// MsgNoSpace: a write failed because the disk is full.
	MsgNoSpace = "Diskte yer kalmadı; kayıt yazılamadı ve hiçbir şey kaydedilmedi. Bilgi işlem birimine " +
		"haber verin: diskte yer açılınca (eski yedekler, günlük dosyaları) işlemi tekrar deneyin."
)

// KeyMissing is the error for a database without its key.
func KeyMissing(cause error) *Error { return &Error{Code: EKEY, Message: MsgKeyMissing, Err: cause} }

// KeyWrong is the error for a key that does not open the database.
func KeyWrong(cause error) *Error { return &Error{Code: EKEY, Message: MsgKeyWrong, Err: cause} }

// KeyUnreadable is the error for a key file that cannot be used.
func KeyUnreadable(cause error) *Error {
	return &Error{Code: EKEY, Message: MsgKeyUnreadable, Err: cause}
}

// Damaged is the error for a database that fails its integrity check.
func Damaged(cause error) *Error { return &Error{Code: EDAMAGED, Message: MsgDamaged, Err: cause} }

// NoSpace is the error for a write refused by a full disk.
func NoSpace(cause error) *Error { return &Error{Code: ENOSPACE, Message: MsgNoSpace, Err: cause} }
