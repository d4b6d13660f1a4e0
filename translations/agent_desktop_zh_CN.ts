<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiErrors</name>
    <message>
        <source>Enter the server address, for example https://cc.example.com.</source>
        <translation>请输入服务器地址，例如 https://cc.example.com。</translation>
    </message>
    <message>
        <source>The server address must start with https:// or http://.</source>
        <translation>服务器地址必须以 https:// 或 http:// 开头。</translation>
    </message>
    <message>
        <source>The server address has no host name.</source>
        <translation>服务器地址缺少主机名。</translation>
    </message>
    <message>
        <source>The server address has an invalid port number.</source>
        <translation>服务器地址的端口号无效。</translation>
    </message>
    <message>
        <source>The server address is not valid.</source>
        <translation>服务器地址无效。</translation>
    </message>
    <message>
        <source>Cannot reach the server %1. Check the address and your network connection.</source>
        <translation>无法连接服务器 %1。请检查地址和网络连接。</translation>
    </message>
    <message>
        <source>The server %1 did not answer in time. Try again in a moment.</source>
        <translation>服务器 %1 未及时响应，请稍后重试。</translation>
    </message>
    <message>
        <source>The server %1 did not present a trusted certificate. Ask IT for the CA file and set it as server.ca_file in the configuration.</source>
        <translation>服务器 %1 未提供受信任的证书。请向 IT 部门索取 CA 文件，并在配置中设置为 server.ca_file。</translation>
    </message>
    <message>
        <source>The request to %1 failed.</source>
        <translation>对 %1 的请求失败。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>您的会话已过期，请重新登录。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Sign-in is required.</source>
        <translation>需要登录。</translation>
    </message>
    <message>
        <source>The server at %1 did not answer like an Agent Workstation backend. Check the server address.</source>
        <translation>%1 上的服务器的应答不像坐席工作台后台。请检查服务器地址。</translation>
    </message>
    <message>
        <source>The server refused the request: %1</source>
        <translation>服务器拒绝了请求：%1</translation>
    </message>
    <message>
        <source>Unexpected error (%1). Details are in the log.</source>
        <translation>意外错误（%1）。详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>Configuration file ignored: %1</source>
        <translation>已忽略配置文件：%1</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>When a call rings, the caller appears here before you say hello: profile, products and warranty, open tickets, dispatches and past interactions.</source>
        <translation>来电振铃时，在您开口之前，来电客户就会显示在这里：客户资料、产品与保修、未结工单、派工和历史联络记录。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <source>Sign in to the contact centre</source>
        <translation>登录呼叫中心</translation>
    </message>
    <message>
        <source>your user name</source>
        <translation>您的用户名</translation>
    </message>
    <message>
        <source>Keep me signed in on this computer</source>
        <translation>在这台电脑上保持登录</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Your sign-in will not be remembered: %1.</source>
        <translation>不会记住您的登录：%1。</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>登录(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>请输入服务器地址。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Customer 360</source>
        <translation>客户 360</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About %1</source>
        <translation>关于 %1(&amp;A)</translation>
    </message>
    <message>
        <source>● Signed out</source>
        <translation>● 未登录</translation>
    </message>
    <message>
        <source>● Connecting…</source>
        <translation>● 正在连接…</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>● Offline — retrying</source>
        <translation>● 离线 — 正在重试</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Agent state: %1</source>
        <translation>坐席状态：%1</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>关于 %1</translation>
    </message>
    <message>
        <source>The desktop for contact-centre agents and team leads.</source>
        <translation>为呼叫中心坐席和组长打造的工作台。</translation>
    </message>
    <message>
        <source>Licensed under the GNU GPL, version 2 or later.</source>
        <translation>依据 GNU GPL 第 2 版或更高版本授权。</translation>
    </message>
</context>
<context>
    <name>PhonePanel</name>
    <message>
        <source>The softphone will live here: incoming calls with the caller&apos;s number, answer, hold, mute, transfer, conference and a dial pad.</source>
        <translation>软电话将在此处：来电号码显示、接听、保持、静音、转接、会议和拨号盘。</translation>
    </message>
</context>
<context>
    <name>SessionService</name>
    <message>
        <source>Signed in, but the sign-in could not be remembered: %1</source>
        <translation>已登录，但无法记住登录状态：%1</translation>
    </message>
    <message>
        <source>Signed in to %1.</source>
        <translation>已登录到 %1。</translation>
    </message>
</context>
<context>
    <name>WorkArea</name>
    <message>
        <source>Service requests</source>
        <translation>服务工单</translation>
    </message>
    <message>
        <source>Your team&apos;s tickets with SLA clocks: create one from a call, escalate a complaint, and follow every change.</source>
        <translation>本组的工单及 SLA 计时：从通话创建工单、升级投诉、跟踪每一次变更。</translation>
    </message>
    <message>
        <source>Field dispatch</source>
        <translation>现场派工</translation>
    </message>
    <message>
        <source>Work orders for technicians: time window, method, result and re-dispatch.</source>
        <translation>工程师的工作单：上门时段、服务方式、处理结果和重新派工。</translation>
    </message>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Search answers in Chinese and English; likely articles are suggested while you type, and unanswered questions go to experts.</source>
        <translation>用中文或英文搜索答案；输入时自动推荐可能相关的文章，无法解答的问题转给专家。</translation>
    </message>
    <message>
        <source>&amp;Tickets</source>
        <translation>工单(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation>派工(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Knowledge base</source>
        <translation>知识库(&amp;K)</translation>
    </message>
</context>
<context>
    <name>Workstation</name>
    <message>
        <source>the demo does not remember sign-ins</source>
        <translation>演示模式不记住登录</translation>
    </message>
    <message>
        <source>Starting the demo backend…</source>
        <translation>正在启动演示后台…</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出现错误：%1</translation>
    </message>
    <message>
        <source>The details are in the log.</source>
        <translation>详细信息已写入日志。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
</TS>
