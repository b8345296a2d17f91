{ networking.hostName = "quill"; }
