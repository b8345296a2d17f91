{ boot.kernelParams = [ "stub-thinkpad" ]; }
