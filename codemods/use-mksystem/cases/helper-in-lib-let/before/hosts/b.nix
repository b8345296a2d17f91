{ ... }:
{
  networking.domain = "b.example";
}
