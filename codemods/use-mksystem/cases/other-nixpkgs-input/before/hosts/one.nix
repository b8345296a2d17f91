{ ... }:
{
  networking.domain = "one.example";
}
