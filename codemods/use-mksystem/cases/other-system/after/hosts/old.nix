{ ... }:
{
  networking.domain = "old.example";
}
