{ networking.hostName = "plover"; }
