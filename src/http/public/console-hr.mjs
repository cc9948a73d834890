// 人事批量: the staff sheet template to download, and a filled staff sheet (.xlsx or .csv) sent to
// POST /api/hr/check and saved back as the results sheet. XMLHttpRequest, not fetch: it reports upload progress.
import { $, setStatus, UNREACHABLE } from "./console-core.mjs";

const TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", csv: "text/csv" };

/** The upload's format by its file name's extension, or null for anything else. */
export function sheetFormat(name) {
  const ext = /\.([^.]+)$/u.exec(name)?.[1]?.toLowerCase();
  return ext === "xlsx" || ext === "csv" ? ext : null;
}

/** The file name a Content-Disposition header gives (filename* first), else `fallback`. */
export function dispositionName(header, fallback) {
  const star = /filename\*=UTF-8''([^;]+)/iu.exec(header ?? "")?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      // A malformed escape: the plain name, or the fallback.
    }
  }
  return /filename="([^"]+)"/iu.exec(header ?? "")?.[1] ?? fallback;
}

/** Saves a blob as a download: a temporary <a download> clicked once. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The Chinese message of a refusal: the server's `{error: {message}}`, with the wait of a 429/503. */
async function refusal(xhr) {
  let message;
  try {
    message = JSON.parse(await xhr.response.text())?.error?.message;
  } catch {
    // Not JSON: a proxy's error page.
  }
  message ??= xhr.status >= 500 ? "服务器暂时无法处理请求，请稍后再试。" : `请求失败（${xhr.status}）。`;
  const wait = xhr.getResponseHeader("retry-after");
  return wait && (xhr.status === 429 || xhr.status === 503) ? `${message}（约 ${wait} 秒后可重试）` : message;
}

/** POSTs the file's bytes; resolves with the finished XMLHttpRequest (status 0: the server was not reached). */
function upload(file, format, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/hr/check?format=${format}`);
    xhr.responseType = "blob";
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.upload.addEventListener("load", () => onProgress(null));
    xhr.addEventListener("loadend", () => resolve(xhr));
    xhr.send(file);
  });
}

let busy = false;

async function submit() {
  const status = $("hr-status");
  const progress = $("hr-progress");
  const file = $("hr-file").files?.[0];
  if (!file) {
    setStatus(status, "请先选择人员表（.xlsx 或 .csv 文件）。", true);
    $("hr-file").focus();
    return;
  }
  const format = sheetFormat(file.name);
  if (!format) {
    setStatus(status, `“${file.name}”不是 .xlsx 或 .csv 文件，请另选一个文件。`, true);
    $("hr-file").focus();
    return;
  }
  busy = true;
  $("hr-submit").disabled = true;
  $("hr-form").setAttribute("aria-busy", "true");
  // Indeterminate until the browser reports how much is sent.
  progress.removeAttribute("value");
  progress.hidden = false;
  setStatus(status, `正在上传“${file.name}”…`);
  try {
    const xhr = await upload(file, format, (share) => {
      if (share === null) {
        // Uploaded: the server is evaluating; an indeterminate bar until the answer arrives.
        progress.removeAttribute("value");
        setStatus(status, "已上传，正在逐行评估…");
      } else progress.value = Math.round(share * 100);
    });
    if (xhr.status === 0) {
      setStatus(status, UNREACHABLE, true);
      return;
    }
    if (xhr.status < 200 || xhr.status >= 300) {
      setStatus(status, await refusal(xhr), true);
      return;
    }
    const name = dispositionName(xhr.getResponseHeader("content-disposition"), `职称评估结果.${format}`);
    save(new Blob([xhr.response], { type: TYPES[format] }), name);
    setStatus(
      status,
      `评估完成，已下载“${name}”：每人一行，结论在“结论”一栏，无法读取的行在“错误”一栏说明原因。`,
    );
  } finally {
    busy = false;
    progress.hidden = true;
    $("hr-form").removeAttribute("aria-busy");
    $("hr-submit").disabled = false;
    // A disabled button loses the focus: give it back so the keyboard stays where it was.
    if (!document.activeElement || document.activeElement === document.body) $("hr-submit").focus();
  }
}

export function initHr() {
  $("hr-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!busy) void submit();
  });
  $("hr-file").addEventListener("change", () => setStatus($("hr-status"), ""));
}
