{ hardware.enableRedistributableFirmware = true; }
