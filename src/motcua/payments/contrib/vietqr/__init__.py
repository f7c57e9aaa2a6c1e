"""VietQR bank transfers (chuyển khoản NAPAS 247 qua mã VietQR): the QR payload, its image, the statements."""
