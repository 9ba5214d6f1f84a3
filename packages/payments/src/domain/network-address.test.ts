import { describe, expect, it } from "vitest";
import { isLocalHost, isPublicAddress, normaliseHost } from "./network-address.js";

describe("isPublicAddress", () => {
  it("accepts globally routable IPv4 and IPv6, including NAT64 of a public IPv4", () => {
    for (const ip of [
      "8.8.8.8",
      "93.184.215.14",
      "1.1.1.1",
      "172.32.0.1",
      "100.128.0.1",
      "2606:4700::1111",
      "2a00:1450:4001:80b::200e",
      "64:ff9b::808:808",
      "[2606:4700::1111]",
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, true]);
    }
  });

  it("refuses every special-purpose range and every IPv4-in-IPv6 spelling", () => {
    for (const ip of [
      "0.0.0.0",
      "0.1.2.3",
      "10.0.0.1",
      "100.64.0.1",
      "100.127.255.255",
      "127.0.0.1",
      "127.255.255.254",
      "169.254.169.254",
      "172.16.0.1",
      "172.31.255.255",
      "192.0.0.8",
      "192.0.2.1",
      "192.88.99.1",
      "192.168.1.1",
      "198.18.0.1",
      "198.19.255.255",
      "198.51.100.7",
      "203.0.113.9",
      "224.0.0.1",
      "239.255.255.250",
      "240.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "::7f00:1",
      "::ffff:7f00:1",
      "::ffff:808:808",
      "::ffff:0:7f00:1",
      "64:ff9b::7f00:1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b:1::1",
      "100::1",
      "2001::1",
      "2001:db8::1",
      "2002:7f00:1::1",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "fec0::1",
      "ff02::1",
      "not an ip",
      "",
    ]) {
      expect([ip, isPublicAddress(ip)]).toEqual([ip, false]);
    }
  });
});

describe("normaliseHost and isLocalHost", () => {
  it("compares names without trailing dots, brackets or case", () => {
    expect(normaliseHost("Printer.LOCAL..")).toBe("printer.local");
    expect(normaliseHost("[::1]")).toBe("::1");
    for (const h of ["localhost.", "x.localhost.", "metadata.google.internal.", "printer.local.", "nas.home.arpa.", "intranet", "."])
      expect([h, isLocalHost(normaliseHost(h))]).toEqual([h, true]);
    for (const h of ["hooks.example.com.", "localhost.example.com", "internal.example.com", "xn--80ak6aa92e.com"])
      expect([h, isLocalHost(normaliseHost(h))]).toEqual([h, false]);
  });
});
