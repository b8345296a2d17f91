{ boot.kernelParams = [ "stub-raspberry-pi-4" ]; }
