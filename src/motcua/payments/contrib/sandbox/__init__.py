"""The sandbox gateway (cổng thanh toán thử nghiệm): plays VNPay's part inside Motcua, offline, for real."""
