"""Payment gateways, one plug-in folder each (VNPay, VietQR bank transfer, the bundled sandbox)."""
