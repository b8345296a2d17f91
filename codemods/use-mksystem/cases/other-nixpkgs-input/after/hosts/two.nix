{ ... }:
{
  networking.domain = "two.example";
}
