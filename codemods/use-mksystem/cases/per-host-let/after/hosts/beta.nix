{ ... }:
{
  networking.domain = "beta.example";
}
