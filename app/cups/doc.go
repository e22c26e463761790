// Package cups implements app.Printer with CUPS: the lp command hands a PDF
// to a queue, and IPP (Get-Job-Attributes, Get-Printer-Attributes,
// CUPS-Get-Printers) follows the job until CUPS reports it completed. Every
// job is saved before it is sent and keeps its PDF, so a printer that fails
// never blocks the clerk and never loses a document: the job stays listed
// for reprint with a Turkish sentence that says what went wrong.
package cups
