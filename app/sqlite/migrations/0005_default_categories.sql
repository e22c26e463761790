-- A first catalogue of subjects so that a terminal that has not reached the
-- central yet can still record complaints. The central's own catalogue
-- replaces or retires these by code as soon as the first pull arrives.
INSERT OR IGNORE INTO categories (code, name, grp, active, updated_at) VALUES
    ('TEM-01', 'Çöp toplama', 'Temizlik İşleri', 1, ''),
    ('TEM-02', 'Sokak ve cadde temizliği', 'Temizlik İşleri', 1, ''),
    ('FEN-01', 'Yol, kaldırım ve asfalt', 'Fen İşleri', 1, ''),
    ('FEN-02', 'Sokak aydınlatması', 'Fen İşleri', 1, ''),
    ('PRK-01', 'Park, bahçe ve ağaç', 'Park ve Bahçeler', 1, ''),
    ('ZAB-01', 'İşyeri, seyyar satıcı, işgal', 'Zabıta', 1, ''),
    ('ZAB-02', 'Gürültü', 'Zabıta', 1, ''),
    ('VET-01', 'Sokak hayvanları', 'Veteriner İşleri', 1, ''),
    ('IMR-01', 'Yapı ve ruhsat', 'İmar ve Şehircilik', 1, ''),
    ('SOS-01', 'Sosyal yardım', 'Sosyal Destek', 1, ''),
    ('GEN-01', 'Diğer', 'Genel', 1, '');
