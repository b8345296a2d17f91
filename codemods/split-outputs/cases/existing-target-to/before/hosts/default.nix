# Machines in the homelab. Add a name here and a <name>.nix next to it.
[
  "nas"
  "router"
]
